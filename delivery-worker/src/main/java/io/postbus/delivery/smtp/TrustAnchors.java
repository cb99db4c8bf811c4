package io.postbus.delivery.smtp;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The certificate authorities a verified TLS session must chain to: the JDK's default trust store
 * (cacerts, or whatever javax.net.ssl.trustStore names), plus optionally the certificates of a
 * PEM file (Postfix smtp_tls_CAfile), e.g. a private CA for relays inside a company.
 *
 * <p>The checks themselves are the JDK's PKIX validation and its "HTTPS" endpoint identification
 * (RFC 6125 DNS-ID matching, wildcards in the left-most label only): nothing is matched by hand.
 */
public final class TrustAnchors {

    private final X509ExtendedTrustManager manager;
    private final String description;

    private TrustAnchors(X509ExtendedTrustManager manager, String description) {
        this.manager = manager;
        this.description = description;
    }

    /** The JDK's default trust store. */
    public static TrustAnchors jdkDefaults() {
        return new TrustAnchors(fromKeyStore(null), "JDK default trust store");
    }

    /**
     * The JDK's default trust store plus every certificate in a PEM file.
     *
     * @throws IllegalArgumentException the file cannot be read or holds no certificate (fail fast at start)
     */
    public static TrustAnchors jdkDefaultsPlus(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        List<X509Certificate> extra = readPem(pemFile);
        return new TrustAnchors(new EitherTrustManager(fromKeyStore(null), fromKeyStore(keyStore(extra))),
                "JDK default trust store and " + pemFile);
    }

    /** Only the given certificates, without the JDK's: for tests and closed networks. */
    public static TrustAnchors only(Collection<X509Certificate> anchors) {
        return new TrustAnchors(fromKeyStore(keyStore(List.copyOf(anchors))), anchors.size() + " given anchors");
    }

    /** The JDK trust manager over these anchors, for other TLS clients (the MTA-STS policy fetch). */
    public X509ExtendedTrustManager trustManager() {
        return manager;
    }

    @Override
    public String toString() {
        return description;
    }

    private static List<X509Certificate> readPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            // The JDK's X.509 factory reads PEM ("-----BEGIN CERTIFICATE-----") as well as DER.
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no certificate in CA file " + file);
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read CA file " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStore(List<X509Certificate> certs) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("anchor-" + i, certs.get(i));
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an in-memory trust store", e);
        }
    }

    private static X509ExtendedTrustManager fromKeyStore(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("the JDK's trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the trust store", e);
        }
    }

    /** Trusts what either store trusts; the first store's complaint is the one reported. */
    private static final class EitherTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager first;
        private final X509ExtendedTrustManager second;

        EitherTrustManager(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
            this.first = first;
            this.second = second;
        }

        private interface Check {
            void run(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.run(first);
            } catch (CertificateException e) {
                try {
                    check.run(second);
                } catch (CertificateException e2) {
                    e.addSuppressed(e2);
                    throw e;
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = first.getAcceptedIssuers();
            X509Certificate[] b = second.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
