package io.postbus.delivery.smtp;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import io.postbus.delivery.dane.DaneTrust;
import io.postbus.delivery.dane.DaneVerdict;
import io.postbus.delivery.dane.DaneVerifier;

/**
 * The client side of STARTTLS for every {@link TlsPolicy}. One trust manager does the checking for
 * all levels: it runs the JDK's PKIX validation and "HTTPS" endpoint identification against the MX
 * host name and records the result in the handshake session. At {@link TlsPolicy#VERIFY} a failed
 * check ends the handshake; at MAY and ENCRYPT the session goes on and the result is only reported,
 * because there an unverified channel beats plain text (RFC 7435).
 *
 * <p>The MX host name comes from DNS, and that is the name checked and sent as SNI. With DNSSEC
 * absent that name is only as trustworthy as DNS; MTA-STS (RFC 8461) closes that gap by listing
 * the MX names the certificate must carry. With DNSSEC, DANE does: a client made
 * {@link #withDane} checks the chain against TLSA records ({@link DaneVerifier}) instead of the
 * trust anchors.
 */
public final class TlsClient {

    private static final String VERDICT = "io.postbus.peer-verification";
    private static volatile TlsClient jdkDefaults;

    private final TrustAnchors anchors;
    private final X509ExtendedTrustManager reporting;
    private final X509ExtendedTrustManager enforcing;
    private final boolean dane;

    private TlsClient(TrustAnchors anchors) {
        this(anchors, null);
    }

    private TlsClient(TrustAnchors anchors, DaneTrust dane) {
        this.anchors = anchors;
        this.dane = dane != null;
        this.reporting = new CheckingTrustManager(anchors.trustManager(), false, dane);
        this.enforcing = new CheckingTrustManager(anchors.trustManager(), true, dane);
    }

    /**
     * A client for one DANE-authenticated host (RFC 7672 §3): its certificate must match these
     * TLSA records; the PKIX trust anchors play no part. Use it with {@link TlsPolicy#VERIFY} so a
     * mismatch ends the handshake.
     */
    public TlsClient withDane(DaneTrust dane) {
        return new TlsClient(anchors, Objects.requireNonNull(dane, "dane"));
    }

    /**
     * True for a {@link #withDane} client: it belongs to one host's TLSA records at one moment, so
     * whatever is built from it (TLS options) must not be cached for the life of the process.
     */
    public boolean isPerHost() {
        return dane;
    }

    /** Trusting the JDK's default store; built once, on first use. */
    public static TlsClient jdkDefaults() {
        TlsClient c = jdkDefaults;
        if (c == null) {
            c = new TlsClient(TrustAnchors.jdkDefaults());
            jdkDefaults = c;
        }
        return c;
    }

    public static TlsClient trusting(TrustAnchors anchors) {
        return new TlsClient(Objects.requireNonNull(anchors, "anchors"));
    }

    public TrustAnchors anchors() {
        return anchors;
    }

    /**
     * The trust manager for a handshake at {@code policy}. It checks the chain and, by the engine's
     * (or socket's) endpoint identification "HTTPS" (RFC 6125 matching as for RFC 2818 §3.1, done
     * by the JDK), the name the engine was created for, which must be the MX host name; it leaves
     * its verdict in the handshake session and, at VERIFY only, fails the handshake on a bad one.
     */
    public X509ExtendedTrustManager trustManager(TlsPolicy policy) {
        return policy.requiresVerifiedPeer() ? enforcing : reporting;
    }

    /**
     * The name to send as SNI (RFC 6066 §3) for {@code host}, so a server with many names picks the
     * right certificate: the MX host name; empty for an address literal, which has none, and for a
     * name SNI cannot carry (e.g. an underscore), where the check still runs.
     */
    public static Optional<String> serverName(String host) {
        if (looksLikeAddress(host)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SNIHostName(host).getAsciiName());
        } catch (IllegalArgumentException notAHostName) {
            return Optional.empty();
        }
    }

    /** The session's parameters and the verdict the trust manager left in it. */
    public static TlsInfo describe(SSLSession session) {
        String subject = null;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                subject = x.getSubjectX500Principal().getName();
            }
        } catch (SSLPeerUnverifiedException anonymous) {
            // An anonymous cipher suite: nothing to name.
        }
        Object v = session.getValue(VERDICT);
        Verdict verdict = v instanceof Verdict given ? given
                : new Verdict(PeerVerification.UNTRUSTED, "the server sent no certificate");
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), subject, verdict.result(), verdict.problem(),
                verdict.authenticatedBy());
    }

    private static boolean looksLikeAddress(String host) {
        return host.startsWith("[") || host.indexOf(':') >= 0
                || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private record Verdict(PeerVerification result, String problem, String authenticatedBy) {
        Verdict(PeerVerification result, String problem) {
            this(result, problem, null);
        }

        /** DANE's verdict in the words of the other levels: authenticated is VERIFIED, else UNTRUSTED. */
        static Verdict of(DaneVerdict dane) {
            return dane.authenticated()
                    ? new Verdict(PeerVerification.VERIFIED, null, "DANE " + dane.matched().get().describe())
                    : new Verdict(PeerVerification.UNTRUSTED, "DANE " + dane.result() + ": " + dane.detail());
        }
    }

    /**
     * Checks the server's chain and name with the anchors' trust manager and stores the verdict in
     * the handshake session (SSLSession.putValue: the place the JSSE gives for application data
     * bound to a session). Enforcing: a failure also fails the handshake.
     */
    private static final class CheckingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager anchors;
        private final boolean enforce;
        private final DaneTrust dane; // null: PKIX

        CheckingTrustManager(X509ExtendedTrustManager anchors, boolean enforce, DaneTrust dane) {
            this.anchors = anchors;
            this.enforce = enforce;
            this.dane = dane;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            // The engine's parameters carry the endpoint identification, so this checks chain and name.
            check(chain, authType, () -> anchors.checkServerTrusted(chain, authType, engine),
                    engine == null ? null : engine.getHandshakeSession());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            SSLSession handshake = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
            check(chain, authType, () -> anchors.checkServerTrusted(chain, authType, socket), handshake);
        }

        private interface Check {
            void run() throws CertificateException;
        }

        private void check(X509Certificate[] chain, String authType, Check withName, SSLSession handshake)
                throws CertificateException {
            Verdict verdict;
            CertificateException failure = null;
            if (dane != null) {
                // RFC 7672 §3: TLSA records replace the trust anchors (and, for DANE-EE, the name check).
                verdict = Verdict.of(DaneVerifier.verify(List.of(chain), dane, Instant.now()));
                failure = verdict.problem() == null ? null : new CertificateException(verdict.problem());
            } else {
                try {
                    withName.run();
                    verdict = new Verdict(PeerVerification.VERIFIED, null);
                } catch (CertificateException e) {
                    failure = e;
                    verdict = chainOnly(chain, authType, e);
                }
            }
            if (handshake != null) {
                handshake.putValue(VERDICT, verdict);
            }
            if (enforce && failure != null) {
                throw failure;
            }
        }

        /** After a failure: was it only the name (TRUSTED) or the chain too (UNTRUSTED)? */
        private Verdict chainOnly(X509Certificate[] chain, String authType, CertificateException withName) {
            try {
                anchors.checkServerTrusted(chain, authType);
                return new Verdict(PeerVerification.TRUSTED, withName.getMessage());
            } catch (CertificateException e) {
                return new Verdict(PeerVerification.UNTRUSTED, e.getMessage());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the SMTP client checks with its engine, for the host name");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return anchors.getAcceptedIssuers();
        }
    }
}
