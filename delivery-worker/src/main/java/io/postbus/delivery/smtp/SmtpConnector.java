package io.postbus.delivery.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Opens {@link SmtpTransport}s: the network side of {@link SmtpConnection#open}. */
public interface SmtpConnector {

    /**
     * Connects within {@code timeouts.connect()}, with TCP_NODELAY, bound to {@code source} when
     * given. Fails with a {@link SmtpException} of phase CONNECT: refused, timed out, unreachable,
     * source address unusable ({@link SmtpFailures#connect}).
     *
     * @param host    the server's name, kept by the transport (SNI, messages)
     * @param address a resolved address and port
     * @param source  the local address to bind first (same family as {@code address}); empty: the kernel's choice
     */
    CompletionStage<SmtpTransport> connect(String host, InetSocketAddress address, Optional<InetAddress> source,
                                           SmtpTimeouts timeouts);
}
