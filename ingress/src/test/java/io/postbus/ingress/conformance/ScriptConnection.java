package io.postbus.ingress.conformance;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client end of one script connection: a plain socket, later wrapped in TLS, with an input
 * buffer like upstream's iobuf (bytes read ahead stay there until a line is taken). Every read has
 * a timeout, so a server that never answers fails the case instead of hanging the build.
 */
final class ScriptConnection implements Closeable {
    private final Socket plain;
    private final int readTimeoutMs;
    private Socket active;
    private InputStream in;
    private OutputStream out;
    private String tlsProtocol;
    private byte[] buf = new byte[8192];
    private int len;

    private ScriptConnection(Socket socket, int readTimeoutMs) throws IOException {
        this.plain = socket;
        this.readTimeoutMs = readTimeoutMs;
        use(socket);
    }

    static ScriptConnection open(InetSocketAddress address, Duration readTimeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) readTimeout.toMillis());
            s.setTcpNoDelay(true);
            return new ScriptConnection(s, (int) readTimeout.toMillis());
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void use(Socket s) throws IOException {
        s.setSoTimeout(readTimeoutMs);
        active = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Reads what the server sends next into the buffer: the count, or -1 at end of stream.
     * Throws {@link java.net.SocketTimeoutException} when nothing came within the read timeout.
     */
    int read() throws IOException {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, len, buf.length - len);
        if (n > 0) {
            len += n;
        }
        return n;
    }

    /** A buffered line up to LF (the LF removed, a CR before it kept), or null when none is complete. */
    String takeLine() {
        for (int i = 0; i < len; i++) {
            if (buf[i] == '\n') {
                String line = new String(buf, 0, i, StandardCharsets.ISO_8859_1);
                System.arraycopy(buf, i + 1, buf, 0, len - i - 1);
                len -= i + 1;
                return line;
            }
        }
        return null;
    }

    int buffered() {
        return len;
    }

    String bufferedText() {
        return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * Upgrades the connection in place. The server's certificate is self-signed and generated at
     * start, so any certificate is trusted: the suite tests the dialogue, not the PKI.
     */
    void startTls() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
            InetSocketAddress peer = (InetSocketAddress) plain.getRemoteSocketAddress();
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, peer.getHostString(), peer.getPort(), true);
            tls.setUseClientMode(true);
            tls.setSoTimeout(readTimeoutMs);
            tls.startHandshake();
            tlsProtocol = tls.getSession().getProtocol() + " " + tls.getSession().getCipherSuite();
            use(tls);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    boolean isTls() {
        return tlsProtocol != null;
    }

    String tlsProtocol() {
        return tlsProtocol;
    }

    @Override
    public void close() {
        try {
            active.close();
        } catch (IOException ignored) {
            // closing a connection the server may already have dropped
        }
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
