package io.postbus.delivery.smtp;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
    private final SSLContext reporting;
    private final SSLContext enforcing;

    private TlsClient(TrustAnchors anchors) {
        this(anchors, null);
    }

    private TlsClient(TrustAnchors anchors, DaneTrust dane) {
        this.anchors = anchors;
        this.reporting = context(new CheckingTrustManager(anchors.trustManager(), false, dane));
        this.enforcing = context(new CheckingTrustManager(anchors.trustManager(), true, dane));
    }

    /**
     * A client for one DANE-authenticated host (RFC 7672 §3): its certificate must match these
     * TLSA records; the PKIX trust anchors play no part. Use it with {@link TlsPolicy#VERIFY} so a
     * mismatch ends the handshake.
     */
    public TlsClient withDane(DaneTrust dane) {
        return new TlsClient(anchors, Objects.requireNonNull(dane, "dane"));
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
     * Layers TLS over a connected socket; the handshake starts with startHandshake(). The host is
     * the name to verify and to send as SNI.
     */
    SSLSocket wrap(Socket plain, String host, int port, TlsPolicy policy) throws IOException {
        SSLContext context = policy.requiresVerifiedPeer() ? enforcing : reporting;
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        ssl.setUseClientMode(true);
        SSLParameters params = ssl.getSSLParameters();
        // RFC 6125 matching as for HTTPS (RFC 2818 §3.1), done by the JDK; the trust manager
        // decides what a mismatch means for the level.
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setServerNames(List.of());
        if (!looksLikeAddress(host)) {
            try {
                // SNI (RFC 6066 §3) = the MX host name, so a server with many names picks the right
                // certificate; address literals have none.
                params.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException notAHostName) {
                // Not a name SNI can carry (e.g. an underscore): leave it out; the check still runs.
            }
        }
        ssl.setSSLParameters(params);
        return ssl;
    }

    /** The session's parameters and the verdict the trust manager left in it. */
    static TlsInfo describe(SSLSession session) {
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

    private static SSLContext context(TrustManager tm) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {tm}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
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
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            Verdict verdict;
            CertificateException failure = null;
            if (dane != null) {
                // RFC 7672 §3: TLSA records replace the trust anchors (and, for DANE-EE, the name check).
                verdict = Verdict.of(DaneVerifier.verify(List.of(chain), dane, Instant.now()));
                failure = verdict.problem() == null ? null : new CertificateException(verdict.problem());
            } else {
                try {
                    anchors.checkServerTrusted(chain, authType, socket); // chain and, by the socket's parameters, name
                    verdict = new Verdict(PeerVerification.VERIFIED, null);
                } catch (CertificateException e) {
                    failure = e;
                    verdict = chainOnly(chain, authType, e);
                }
            }
            if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
                ssl.getHandshakeSession().putValue(VERDICT, verdict);
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
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the SMTP client uses sockets, not engines");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the SMTP client checks with its socket, for the host name");
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
