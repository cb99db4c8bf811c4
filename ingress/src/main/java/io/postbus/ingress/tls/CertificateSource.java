package io.postbus.ingress.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the server certificate for STARTTLS and port 465 comes from: a PEM pair, a PKCS#12 file,
 * PEM text already in memory, or a self-signed certificate made at start. {@link #load(Clock)}
 * reads and validates it; {@link CertificateWatcher} reloads the file-backed ones when they are
 * renewed.
 */
public sealed interface CertificateSource {

    /** A certificate that expires sooner than this loads with an {@link CertificateWarning.Kind#EXPIRES_SOON} warning. */
    Duration EXPIRY_WARNING = Duration.ofDays(14);

    /** The files that back this source, for {@link CertificateWatcher}; empty when nothing on disk does. */
    List<Path> files();

    /**
     * Reads the source and validates it: the private key belongs to the first certificate of the
     * chain, and that certificate is valid at {@code clock.instant()}. Blocking: reads files (and
     * for {@link SelfSigned} generates an RSA key), so never call it on an event loop.
     *
     * @throws CertificateLoadException naming the file at fault when the certificate cannot be served
     */
    default ServerCertificate load(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return CertificateLoader.load(this, CertificateLoader.read(this), clock);
    }

    /**
     * A PEM certificate chain (server certificate first, then intermediates; certbot's
     * {@code fullchain.pem}) and a PEM private key: PKCS#8 {@code PRIVATE KEY}, PKCS#1
     * {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}, unencrypted. Both paths may name the
     * same file when it holds chain and key together.
     */
    record PemFiles(Path certificateChain, Path privateKey) implements CertificateSource {
        public PemFiles {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public List<Path> files() {
            return certificateChain.equals(privateKey) ? List.of(certificateChain) : List.of(certificateChain, privateKey);
        }
    }

    /** A PKCS#12 ({@code .p12}/{@code .pfx}) file holding exactly one private key and its chain. */
    record Pkcs12File(Path file, String password) implements CertificateSource {
        public Pkcs12File {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(password, "password (use \"\" for none)");
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }

        @Override
        public String toString() { // never the password, so the record can be logged
            return "Pkcs12File[file=" + file + ", password=***]";
        }
    }

    /** PEM text already in memory (from a secret store or an environment variable); nothing to watch. */
    record PemText(String certificateChainPem, String privateKeyPem) implements CertificateSource {
        public PemText {
            Objects.requireNonNull(certificateChainPem, "certificateChainPem");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }

        @Override
        public List<Path> files() {
            return List.of();
        }

        @Override
        public String toString() { // never the key
            return "PemText[certificateChainPem=" + certificateChainPem.length() + " chars, privateKeyPem=***]";
        }
    }

    /**
     * A fresh self-signed certificate for {@code hostname}, made by each {@link #load}: the embedded
     * default, good for opportunistic STARTTLS between MTAs, not for submission clients.
     */
    record SelfSigned(String hostname) implements CertificateSource {
        public SelfSigned {
            Objects.requireNonNull(hostname, "hostname");
            if (hostname.isBlank()) {
                throw new IllegalArgumentException("a self-signed certificate needs a hostname");
            }
        }

        @Override
        public List<Path> files() {
            return List.of();
        }
    }
}
