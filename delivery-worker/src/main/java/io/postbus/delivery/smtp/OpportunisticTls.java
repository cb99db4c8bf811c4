package io.postbus.delivery.smtp;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS for {@link TlsPolicy#MAY}: encrypt, but accept any certificate. For opportunistic TLS an
 * unverified channel still beats plain text (RFC 7435), and refusing a self-signed MX would only
 * push the mail back to plain text. Verified levels (DANE, MTA-STS) will need another context.
 */
final class OpportunisticTls {

    private static final OpportunisticTls INSTANCE = new OpportunisticTls();

    private final SSLContext context;

    private OpportunisticTls() {
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAll()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }

    static OpportunisticTls get() {
        return INSTANCE;
    }

    /** Layers TLS over a connected socket; the handshake starts with the first I/O or startHandshake(). */
    SSLSocket wrap(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        ssl.setUseClientMode(true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        // SNI lets a server with many names pick its certificate; address literals have none
        // (RFC 6066 §3 forbids them there).
        params.setServerNames(List.of());
        if (!looksLikeAddress(host)) {
            try {
                params.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException notAHostName) {
                // Leave SNI out rather than fail: the certificate is not checked anyway.
            }
        }
        ssl.setSSLParameters(params);
        return ssl;
    }

    private static boolean looksLikeAddress(String host) {
        return host.startsWith("[") || host.indexOf(':') >= 0
                || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** Accepts every server certificate; see the class comment for why. */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
