package io.postbus.ingress.tls;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A JDK TLS client that trusts anything and reports the serial number of the certificate it was served. */
final class TlsClient {
    private TlsClient() {}

    /** Implicit TLS, as on port 465. */
    static BigInteger servedSerial(int port) throws IOException, GeneralSecurityException {
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(5_000);
            return handshake(plain, port);
        }
    }

    /** TLS after a plain-text line, as after STARTTLS: the server greets, then upgrades. */
    static BigInteger servedSerialAfterGreeting(int port) throws IOException, GeneralSecurityException {
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(5_000);
            String greeting = readLine(plain.getInputStream());
            if (!greeting.startsWith("220 ")) {
                throw new IOException("unexpected greeting: " + greeting);
            }
            return handshake(plain, port);
        }
    }

    private static BigInteger handshake(Socket plain, int port) throws IOException, GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        try (SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            ssl.startHandshake();
            return ((X509Certificate) ssl.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Byte by byte, so nothing after the line is consumed before the TLS layer takes over. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString().strip();
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

}
