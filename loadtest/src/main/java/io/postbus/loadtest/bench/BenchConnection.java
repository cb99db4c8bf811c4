package io.postbus.loadtest.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One blocking SMTP client connection: greeting, EHLO, optional STARTTLS, then commands in lock
 * step (no pipelining, as smtp-source). Public so the end-to-end generator
 * (io.postbus.loadtest.generator) drives the same client. Plain sockets rather than the Vert.x client so the time
 * measured around a reply is the server's and the kernel's, not an event loop's queueing.
 */
public final class BenchConnection implements AutoCloseable {

    private static final int MAX_LINE = 4096;

    /**
     * Accepts any certificate. Tolerable only because {@link LoopbackTarget} restricts the
     * benchmark to this machine, where the servers use throw-away self-signed certificates.
     */
    private static final SSLContext TRUST_ANY = trustAny();

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private BenchConnection(Socket socket) throws IOException {
        use(socket);
    }

    /** Connects, reads the 220 greeting and says EHLO (and STARTTLS, EHLO again, if asked). */
    public static BenchConnection open(LoopbackTarget target, int timeoutMillis, String helo, boolean startTls)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true); // the end-of-data mark is a small second write: no Nagle delay
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress(target.address(), target.port()), timeoutMillis);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        BenchConnection c = new BenchConnection(socket);
        try {
            c.expect(c.readReply(), 220, "greeting");
            c.expect(c.command("EHLO " + helo), 250, "EHLO");
            if (startTls) {
                c.expect(c.command("STARTTLS"), 220, "STARTTLS");
                c.use(TRUST_ANY.getSocketFactory().createSocket(socket, target.host(), target.port(), true));
                ((SSLSocket) c.socket).startHandshake();
                c.expect(c.command("EHLO " + helo), 250, "EHLO after STARTTLS");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Sends one command line and reads its reply. */
    public SmtpReply command(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
        out.flush();
        return readReply();
    }

    /** Buffers bytes; nothing is sent before {@link #flush()}. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Reads one complete reply, multi-line or not, and returns its code and last line. */
    public SmtpReply readReply() throws IOException {
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !isCode(line) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new ProtocolException("not an SMTP reply line: " + line);
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(Integer.parseInt(line.substring(0, 3)), line);
            }
        }
    }

    /** QUIT without waiting long for the answer, then close. */
    public void quit() {
        try {
            socket.setSoTimeout(1000);
            command("QUIT");
        } catch (IOException | RuntimeException ignored) {
            // The connection goes away either way.
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do with a socket that would not close.
        }
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = new BufferedOutputStream(s.getOutputStream(), 16384);
    }

    private void expect(SmtpReply reply, int code, String step) throws ProtocolException {
        if (reply.code() != code) {
            throw new ProtocolException(step + " answered " + reply);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("reply line longer than " + MAX_LINE);
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean isCode(String line) {
        return line.charAt(0) >= '2' && line.charAt(0) <= '5'
                && Character.isDigit(line.charAt(1)) && Character.isDigit(line.charAt(2));
    }

    private static SSLContext trustAny() {
        TrustManager any = new X509TrustManager() {
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
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {any}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
