package io.postbus.delivery.smtp;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The socket under a session: buffered writes, replies read under the timeout of their phase,
 * and every I/O failure turned into a classified {@link SmtpException} right here.
 *
 * <p>Commands collect in memory and go out on {@link #flush}, and a message through a 64 KiB
 * buffer, so a pipelined group or a whole message leaves in a few large writes; TCP_NODELAY then
 * sends them at once instead of waiting for the ACK of the previous segment (Nagle).
 *
 * <p>A socket write has no timeout of its own: a server that stops reading would block us
 * forever once the TCP window fills. So every write runs under a watchdog that closes the socket
 * when the phase's timeout passes (RFC 5321 §4.5.3.2.5 wants a data block timeout).
 */
final class SmtpWire implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final String host;
    private final InetSocketAddress address;
    private final SmtpTimeouts timeouts;
    private Socket socket;
    private OutputStream out;
    private SmtpReplyReader reader;
    private SSLSession tlsSession;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private volatile boolean writeTimedOut;

    private SmtpWire(String host, InetSocketAddress address, SmtpTimeouts timeouts) {
        this.host = host;
        this.address = address;
        this.timeouts = timeouts;
    }

    /** @param source the local address to bind first (same family as {@code address}); empty: the kernel's choice */
    static SmtpWire connect(String host, InetSocketAddress address, Optional<InetAddress> source, SmtpTimeouts timeouts)
            throws SmtpException {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("resolve the address before connecting: " + address);
        }
        SmtpWire wire = new SmtpWire(host, address, timeouts);
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (source.isPresent()) {
                try {
                    s.bind(new InetSocketAddress(source.get(), 0));
                } catch (IOException e) {
                    closeQuietly(s);
                    throw new TransientSmtpException("cannot bind source address " + source.get().getHostAddress()
                            + " for " + wire.peer() + ": " + e.getMessage(), e, SmtpPhase.CONNECT,
                            SmtpException.Kind.SOURCE_ADDRESS, null, host, address, List.of());
                }
            }
            s.connect(address, (int) timeouts.connect().toMillis());
            wire.attach(s);
            return wire;
        } catch (IOException e) {
            closeQuietly(s);
            throw wire.connectFailure(e);
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), BUFFER);
        reader = new SmtpReplyReader(new BufferedInputStream(s.getInputStream(), 8 * 1024));
    }

    /** Queues one command line; CRLF is added. Callers validated the arguments at construction. */
    void command(String line) {
        pending.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        pending.writeBytes(CRLF);
    }

    /** Sends the queued commands. */
    void flush(SmtpPhase phase) throws SmtpException {
        guarded(phase, o -> {
            pending.writeTo(o);
            pending.reset();
        });
    }

    /** Sends a message after the 354: dot-stuffed, terminated, flushed. */
    void sendMessage(byte[] message) throws SmtpException {
        guarded(SmtpPhase.DATA_DONE, o -> DotStuffing.write(message, o));
    }

    /**
     * Sends the queued commands, then "BDAT n [LAST]" and the chunk's bytes exactly as they are
     * (RFC 3030 §2: no dot-stuffing, no terminator), in one guarded write, so MAIL, RCPT and a
     * pipelined first chunk leave together.
     */
    void sendChunk(BdatChunk chunk, byte[] message) throws SmtpException {
        command(chunk.command());
        guarded(chunk.phase(), o -> {
            pending.writeTo(o);
            pending.reset();
            o.write(message, chunk.offset(), chunk.length());
        });
    }

    private interface Writing {
        void writeTo(OutputStream out) throws IOException;
    }

    private void guarded(SmtpPhase phase, Writing writing) throws SmtpException {
        ScheduledFuture<?> guard = WATCHDOG.schedule(() -> {
            writeTimedOut = true;
            closeQuietly(socket);
        }, timeouts.forPhase(phase).toMillis(), TimeUnit.MILLISECONDS);
        try {
            writing.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw failure(phase, writeTimedOut ? new SocketTimeoutException("write blocked: " + e.getMessage()) : e);
        } finally {
            guard.cancel(false);
        }
    }

    /** Waits for the reply that ends {@code phase}, at most that phase's timeout. */
    SmtpReply read(SmtpPhase phase) throws SmtpException {
        try {
            socket.setSoTimeout((int) timeouts.forPhase(phase).toMillis());
            return reader.read();
        } catch (IOException e) {
            throw failure(phase, e);
        } catch (MalformedReplyException e) {
            throw new TransientSmtpException("malformed reply from " + peer() + " (in reply to "
                    + SmtpException.command(phase) + "): " + e.getMessage(), e, phase, SmtpException.Kind.PROTOCOL,
                    null, host, address, List.of());
        }
    }

    /**
     * Wraps the connection in TLS and completes the handshake within the STARTTLS timeout.
     * Anything the server sent before the handshake is dropped with the old reader: a reply
     * injected ahead of TLS must not be read as if it came through TLS (CVE-2011-0411's twin).
     */
    void startTls(TlsClient tls, TlsPolicy policy) throws SmtpException {
        try {
            socket.setSoTimeout((int) timeouts.starttls().toMillis());
            SSLSocket ssl = tls.wrap(socket, host, address.getPort(), policy);
            ssl.startHandshake();
            tlsSession = ssl.getSession();
            attach(ssl);
        } catch (IOException e) {
            throw failure(SmtpPhase.TLS_HANDSHAKE, e);
        }
    }

    Optional<TlsInfo> tls() {
        return Optional.ofNullable(tlsSession).map(TlsClient::describe);
    }

    String host() {
        return host;
    }

    InetSocketAddress address() {
        return address;
    }

    String peer() {
        return SmtpException.where(host, address);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private SmtpException connectFailure(IOException e) {
        SmtpException.Kind kind;
        if (e instanceof ConnectException) {
            kind = SmtpException.Kind.CONNECTION_REFUSED;
        } else if (e instanceof SocketTimeoutException) {
            kind = SmtpException.Kind.CONNECT_TIMEOUT;
        } else if (e instanceof NoRouteToHostException) {
            kind = SmtpException.Kind.UNREACHABLE;
        } else {
            kind = SmtpException.Kind.CONNECTION_LOST;
        }
        return new TransientSmtpException("connect to " + peer() + ": " + e.getMessage(), e, SmtpPhase.CONNECT,
                kind, null, host, address, List.of());
    }

    /** Classifies an I/O failure during {@code phase}. All of them are transient. */
    SmtpException failure(SmtpPhase phase, IOException e) {
        String what = SmtpException.activity(phase);
        // Any failure of the handshake, a timeout included, is a TLS failure: that is what makes
        // TlsPolicy.MAY fall back to plain text.
        if (phase == SmtpPhase.TLS_HANDSHAKE && causedByCertificate(e)) {
            return new TransientSmtpException("server certificate not verified for " + peer() + ": "
                    + certificateProblem(e), e, phase, SmtpException.Kind.CERTIFICATE, null, host, address, List.of());
        }
        if (e instanceof SSLException || phase == SmtpPhase.TLS_HANDSHAKE) {
            return new TransientSmtpException("TLS with " + peer() + " failed while " + what + ": " + e, e, phase,
                    SmtpException.Kind.TLS, null, host, address, List.of());
        }
        if (e instanceof SocketTimeoutException) {
            return new TransientSmtpException("conversation with " + peer() + " timed out after "
                    + timeouts.forPhase(phase).toMillis() + " ms while " + what, e, phase,
                    SmtpException.Kind.TIMEOUT, null, host, address, List.of());
        }
        String detail = e instanceof EOFException ? "" : " (" + e.getMessage() + ")";
        return new TransientSmtpException("lost connection with " + peer() + " while " + what + detail, e, phase,
                SmtpException.Kind.CONNECTION_LOST, null, host, address, List.of());
    }

    private static boolean causedByCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static String certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return t.getMessage();
            }
        }
        return e.getMessage();
    }

    /** One daemon thread for every connection's write deadlines; cancelled deadlines go at once. */
    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-write-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing is best effort: the connection is being abandoned anyway.
        }
    }
}
