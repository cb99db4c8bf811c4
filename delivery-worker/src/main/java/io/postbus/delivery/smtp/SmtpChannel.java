package io.postbus.delivery.smtp;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The session's side of a {@link SmtpTransport}: commands collect in memory and go out together on
 * {@link #flush}, so a pipelined group (MAIL, every RCPT, a first BDAT chunk) is one write, and a
 * message is dot-stuffed into one write: with TCP_NODELAY they leave at once instead of one
 * segment per ACK (Nagle).
 */
final class SmtpChannel {

    private static final byte[] CRLF = {'\r', '\n'};

    private final SmtpTransport transport;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);

    SmtpChannel(SmtpTransport transport) {
        this.transport = transport;
    }

    /** Queues one command line; CRLF is added. Callers validated the arguments at construction. */
    void command(String line) {
        pending.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        pending.writeBytes(CRLF);
    }

    /** Sends the queued commands. */
    CompletionStage<Void> flush(SmtpPhase phase) {
        byte[] group = pending.toByteArray();
        pending.reset();
        return transport.write(group, phase);
    }

    /** One command and its reply. */
    CompletionStage<SmtpReply> exchange(String line, SmtpPhase phase) {
        command(line);
        return flush(phase).thenCompose(v -> transport.read(phase));
    }

    /** Sends a message after the 354: dot-stuffed and terminated (RFC 5321 §4.5.2). */
    CompletionStage<Void> sendMessage(byte[] message) {
        return transport.write(DotStuffing.encode(message), SmtpPhase.DATA_DONE);
    }

    /**
     * Sends the queued commands, then "BDAT n [LAST]" and the chunk's bytes exactly as they are
     * (RFC 3030 §2: no dot-stuffing, no terminator), in one write, so MAIL, RCPT and a pipelined
     * first chunk leave together.
     */
    CompletionStage<Void> sendChunk(BdatChunk chunk, byte[] message) {
        command(chunk.command());
        pending.write(message, chunk.offset(), chunk.length());
        return flush(chunk.phase());
    }

    CompletionStage<SmtpReply> read(SmtpPhase phase) {
        return transport.read(phase);
    }

    CompletionStage<Void> startTls(TlsClient tls, TlsPolicy policy) {
        return transport.startTls(tls, policy);
    }

    Optional<TlsInfo> tls() {
        return transport.tls();
    }

    String host() {
        return transport.host();
    }

    InetSocketAddress address() {
        return transport.address();
    }

    Optional<InetSocketAddress> localAddress() {
        return transport.localAddress();
    }

    String peer() {
        return SmtpException.where(host(), address());
    }

    void close() {
        transport.close();
    }
}
