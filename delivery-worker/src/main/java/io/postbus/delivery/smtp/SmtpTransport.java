package io.postbus.delivery.smtp;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The byte pipe under a session, asynchronous and free of any network library: the protocol
 * ({@link SmtpConnection}, {@link MailTransaction}, {@link SmtpAuthentication}) is written against
 * it, a shell implements it on sockets (the delivery worker's on Vert.x {@code NetSocket}).
 *
 * <p>Every operation runs under the timeout of its {@link SmtpPhase} ({@link SmtpTimeouts#forPhase}),
 * and every failure completes the stage exceptionally with a classified {@link SmtpException}
 * ({@link SmtpFailures} builds them), after which the transport is closed. Operations are used one
 * at a time: the next one starts when the previous one's stage has completed.
 */
public interface SmtpTransport {

    /** The server's name: for SNI, certificate checks and messages (the MX host name). */
    String host();

    InetSocketAddress address();

    /**
     * Sends {@code bytes} as they are. Completes when they are handed to the network; a server
     * that stops reading must not make the sender buffer without bound, and cannot hold the
     * write longer than the phase's timeout.
     */
    CompletionStage<Void> write(byte[] bytes, SmtpPhase phase);

    /** The next complete reply, which ends {@code phase}; at most that phase's timeout. */
    CompletionStage<SmtpReply> read(SmtpPhase phase);

    /**
     * After the server's 220 to STARTTLS: drops anything received so far (a reply injected ahead
     * of TLS must never be read as if it came through TLS, CVE-2011-0411's twin), then completes
     * the TLS handshake within the STARTTLS timeout: SNI and the name checked are {@link #host()},
     * the certificate is checked by {@code tls}'s trust manager for {@code policy}.
     */
    CompletionStage<Void> startTls(TlsClient tls, TlsPolicy policy);

    /**
     * The local end of the connection: the source address it left from (the configured one, or the
     * kernel's choice), which is what a receiving MTA and its blocklists see. Empty if unknown.
     */
    default Optional<InetSocketAddress> localAddress() {
        return Optional.empty();
    }

    /** The TLS session's parameters and verdict, once {@link #startTls} has completed. */
    Optional<TlsInfo> tls();

    /** Closes at once, without QUIT; a pending operation fails. Idempotent. */
    void close();
}
