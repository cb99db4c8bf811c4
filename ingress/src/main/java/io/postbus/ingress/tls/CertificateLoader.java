package io.postbus.ingress.tls;

import io.postbus.ingress.tls.CertificateLoadException.Reason;
import io.postbus.ingress.tls.CertificateSource.PemFiles;
import io.postbus.ingress.tls.CertificateSource.PemText;
import io.postbus.ingress.tls.CertificateSource.Pkcs12File;
import io.postbus.ingress.tls.CertificateSource.SelfSigned;
import io.postbus.ingress.tls.SourceSnapshot.Input;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads a {@link CertificateSource} into a {@link SourceSnapshot}, and validates a snapshot into a {@link ServerCertificate}. */
final class CertificateLoader {
    /** Certificates and keys are a few KB; a bigger file is a wrong path, and we will not read a log file into memory. */
    static final int MAX_FILE_BYTES = 1 << 20;

    private static final String CHAIN = "TLS certificate chain";
    private static final String KEY = "TLS private key";

    private CertificateLoader() {}

    /** Blocking: reads the files (or generates the self-signed pair). */
    static SourceSnapshot read(CertificateSource source) {
        if (source instanceof PemFiles pem) {
            return new SourceSnapshot(List.of(readFile(CHAIN, pem.certificateChain()), readFile(KEY, pem.privateKey())));
        }
        if (source instanceof Pkcs12File p12) {
            return new SourceSnapshot(List.of(readFile("PKCS#12 file", p12.file())));
        }
        if (source instanceof PemText text) {
            return pemText("the configured TLS certificate chain", text.certificateChainPem(),
                    "the configured TLS private key", text.privateKeyPem());
        }
        SelfSigned self = (SelfSigned) source;
        SelfSignedCertificate generated = SelfSignedCertificate.generate(self.hostname());
        return pemText("the self-signed certificate for " + self.hostname(), generated.certificatePem(),
                "the self-signed key for " + self.hostname(), generated.privateKeyPem());
    }

    static ServerCertificate load(CertificateSource source, SourceSnapshot snapshot, Clock clock) {
        if (source instanceof Pkcs12File p12) {
            Input in = snapshot.input(0);
            Pkcs12Reader.Entry entry = Pkcs12Reader.read(in, p12.password());
            List<CertificateWarning> warnings = validate(entry.chain(), entry.key(), in, in, clock);
            KeyCertOptions options = new PfxOptions().setValue(Buffer.buffer(in.bytes()))
                    .setPassword(p12.password()).setAlias(entry.alias());
            return new ServerCertificate(source, entry.chain(), warnings, snapshot.digest(), options);
        }
        Input chainIn = snapshot.input(0);
        Input keyIn = snapshot.input(1);
        List<X509Certificate> chain = PemReader.certificates(chainIn);
        PrivateKey key = PemReader.privateKey(keyIn);
        List<CertificateWarning> warnings = validate(chain, key, chainIn, keyIn, clock);
        // Vert.x gets the objects we validated, re-encoded: the key always as PKCS#8, so its own
        // PKCS#1/SEC1 parsers never see the input and what was checked is exactly what is served.
        KeyCertOptions options = new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(pem(chain, chainIn)))
                .setKeyValue(Buffer.buffer(pem("PRIVATE KEY", key.getEncoded())));
        return new ServerCertificate(source, chain, warnings, snapshot.digest(), options);
    }

    private static SourceSnapshot pemText(String chainRole, String chainPem, String keyRole, String keyPem) {
        return new SourceSnapshot(List.of(new Input(chainRole, null, chainPem.getBytes(StandardCharsets.US_ASCII)),
                new Input(keyRole, null, keyPem.getBytes(StandardCharsets.US_ASCII))));
    }

    private static Input readFile(String role, Path file) {
        String name = role + " " + file;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new CertificateLoadException(Reason.UNREADABLE, file,
                        name + " is larger than " + (MAX_FILE_BYTES >> 10) + " KiB: not a certificate or key file");
            }
            return new Input(role, file, bytes);
        } catch (NoSuchFileException e) {
            throw new CertificateLoadException(Reason.UNREADABLE, file, name + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new CertificateLoadException(Reason.UNREADABLE, file, name + " is not readable by this process", e);
        } catch (IOException e) {
            throw new CertificateLoadException(Reason.UNREADABLE, file, "cannot read " + name + ": " + e, e);
        }
    }

    /** Refuses what cannot be served; returns what can be served but should be looked at. */
    static List<CertificateWarning> validate(List<X509Certificate> chain, PrivateKey key, Input chainIn, Input keyIn, Clock clock) {
        X509Certificate leaf = chain.get(0);
        if (!KeyMatch.matches(leaf.getPublicKey(), key)) {
            throw new CertificateLoadException(Reason.KEY_MISMATCH, keyIn.file(), mismatch(chain, key, chainIn, keyIn));
        }
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        if (!now.isBefore(notAfter)) {
            throw new CertificateLoadException(Reason.EXPIRED, chainIn.file(),
                    chainIn.name() + ": the certificate for " + subject(leaf) + " expired at " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            throw new CertificateLoadException(Reason.NOT_YET_VALID, chainIn.file(), chainIn.name()
                    + ": the certificate for " + subject(leaf) + " is not valid before " + notBefore + " (check the clock)");
        }
        List<CertificateWarning> warnings = new ArrayList<>();
        Duration left = Duration.between(now, notAfter);
        if (left.compareTo(CertificateSource.EXPIRY_WARNING) < 0) {
            warnings.add(new CertificateWarning(CertificateWarning.Kind.EXPIRES_SOON, chainIn.name()
                    + ": the certificate for " + subject(leaf) + " expires at " + notAfter + ", in " + human(left) + "; renew it"));
        }
        if (chain.size() == 1 && !leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal())) {
            warnings.add(new CertificateWarning(CertificateWarning.Kind.INCOMPLETE_CHAIN, chainIn.name()
                    + " holds only the server certificate, issued by " + leaf.getIssuerX500Principal().getName()
                    + "; add the intermediate certificates (certbot: fullchain.pem, not cert.pem)"));
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                warnings.add(new CertificateWarning(CertificateWarning.Kind.CHAIN_OUT_OF_ORDER, chainIn.name()
                        + ": certificate #" + (i + 2) + " (" + subject(chain.get(i + 1)) + ") did not issue certificate #"
                        + (i + 1) + " (" + subject(chain.get(i)) + "); the chain must go from the server up to the root"));
                break;
            }
        }
        return List.copyOf(warnings);
    }

    private static String mismatch(List<X509Certificate> chain, PrivateKey key, Input chainIn, Input keyIn) {
        String base = chainIn == keyIn
                ? keyIn.name() + ": its private key does not belong to the certificate for " + subject(chain.get(0))
                : keyIn.name() + " does not belong to the certificate for " + subject(chain.get(0)) + " in " + chainIn.name();
        for (int i = 1; i < chain.size(); i++) {
            if (KeyMatch.matches(chain.get(i).getPublicKey(), key)) {
                return base + "; it belongs to certificate #" + (i + 1) + ": the server's certificate must come first";
            }
        }
        return base;
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName() + " (serial " + c.getSerialNumber().toString(16) + ")";
    }

    private static String human(Duration d) {
        return d.toDays() >= 1 ? d.toDays() + " days" : d.toHours() >= 1 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }

    private static String pem(List<X509Certificate> chain, Input in) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : chain) {
            try {
                sb.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new CertificateLoadException(Reason.MALFORMED, in.file(), in.name() + ": cannot re-encode " + subject(c), e);
            }
        }
        return sb.toString();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
