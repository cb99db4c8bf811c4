package io.postbus.delivery.smtp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A client session with one SMTP server, sending raw message bytes unchanged (dot-stuffing
 * aside), so DKIM signatures survive. Asynchronous: every step is a {@link CompletionStage} on a
 * {@link SmtpTransport}, and the stages complete on the transport's thread (an event loop), so no
 * thread waits for the network. One message at a time: the next {@link #send} starts when the last
 * one's stage has completed.
 *
 * <pre>{@code
 * SmtpConnection.open(connector, "mx.example.net", address, config)
 *     .thenCompose(c -> c.send(envelope1, bytes1)
 *         .thenCompose(r1 -> c.send(envelope2, bytes2))   // same connection, after RSET
 *         .whenComplete((r2, e) -> c.close()));
 * }</pre>
 *
 * <p>A message's per-recipient outcomes come back as a {@link SmtpDeliveryResult}; a failure of
 * the session itself (refused, timeout, reset, TLS, protocol, a refusing greeting) fails the stage
 * with a classified {@link SmtpException} and leaves the connection closed.
 */
public final class SmtpConnection implements AutoCloseable {

    private final SmtpChannel channel;
    private final SmtpReply greeting;
    private final EhloCapabilities capabilities;
    private final Duration setupTime;
    private final boolean lmtp;
    private final String heloName;
    private volatile boolean usable = true;
    private volatile int messages;

    private SmtpConnection(SmtpChannel channel, SmtpReply greeting, EhloCapabilities capabilities, Duration setupTime,
                           boolean lmtp, String heloName) {
        this.lmtp = lmtp;
        this.heloName = heloName;
        this.channel = channel;
        this.greeting = greeting;
        this.capabilities = capabilities;
        this.setupTime = setupTime;
    }

    /**
     * Connects, reads the greeting, says EHLO (HELO if EHLO gets a 5xx) and starts TLS as the
     * config's {@link TlsPolicy} says (Postfix smtp_tls_security_level):
     * <ul>
     *   <li>NONE: never;</li>
     *   <li>MAY: when offered; if the handshake fails, connect once more and stay in plain text;</li>
     *   <li>ENCRYPT: required; not offered, refused or failed is a transient failure of this host
     *       (the caller goes on to the next), never plain text;</li>
     *   <li>VERIFY: as ENCRYPT, and a certificate that does not chain to a trust anchor or does not
     *       name {@code remoteHost} fails the handshake.</li>
     * </ul>
     * Then, when the config has credentials, SMTP AUTH ({@link SmtpAuthentication}): only inside
     * TLS, else a transient failure of this host ({@link SmtpException.Kind#AUTH_UNAVAILABLE}).
     * The socket is bound to the config's source address first, when it has one.
     *
     * @param remoteHost the server's name, for SNI, certificate checks, messages and results (the MX host name)
     * @param address    a resolved address and port
     * @return the session, or a {@link SmtpException} saying why it could not be set up and whether that is transient
     */
    public static CompletionStage<SmtpConnection> open(SmtpConnector connector, String remoteHost,
                                                       InetSocketAddress address, SmtpClientConfig config) {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(remoteHost, "remoteHost");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("resolve the address before connecting: " + address);
        }
        TlsPolicy policy = config.tlsPolicy();
        return establish(connector, remoteHost, address, config, policy).exceptionallyCompose(e -> {
            Throwable cause = Async.cause(e);
            if (policy == TlsPolicy.MAY && cause instanceof SmtpException s && s.kind() == SmtpException.Kind.TLS) {
                return establish(connector, remoteHost, address, config, TlsPolicy.NONE);
            }
            return Async.failed(cause);
        });
    }

    private static CompletionStage<SmtpConnection> establish(SmtpConnector connector, String host,
                                                             InetSocketAddress address, SmtpClientConfig config,
                                                             TlsPolicy policy) {
        long start = System.nanoTime();
        boolean lmtp = config.protocol() == SmtpClientConfig.Protocol.LMTP;
        return connector.connect(host, address, config.sourceAddress(), config.timeouts()).thenCompose(transport -> {
            SmtpChannel channel = new SmtpChannel(transport);
            CompletionStage<SmtpConnection> session = channel.read(SmtpPhase.GREETING).thenCompose(greeting -> {
                if (!greeting.isPositive()) {
                    // RFC 5321 §3.1: 554 means no service here; 421 means come back later.
                    return Async.failed(SmtpException.rejected(SmtpPhase.GREETING, greeting, host, address));
                }
                CompletionStage<EhloCapabilities> caps = lmtp ? lhlo(channel, config.heloName())
                        : hello(channel, config.heloName());
                if (policy != TlsPolicy.NONE) {
                    caps = caps.thenCompose(c -> startTls(channel, c, config, policy, lmtp));
                }
                if (config.sasl().isPresent()) {
                    caps = caps.thenCompose(c -> SmtpAuthentication.authenticate(channel, c, config.sasl().get())
                            .thenApply(v -> c));
                }
                return caps.thenApply(c -> new SmtpConnection(channel, greeting, c,
                        Duration.ofNanos(System.nanoTime() - start), lmtp, config.heloName()));
            });
            return session.whenComplete((c, e) -> {
                if (e != null) {
                    channel.close();
                }
            });
        });
    }

    /** STARTTLS (RFC 3207) if offered; gives the capabilities to use from now on. */
    private static CompletionStage<EhloCapabilities> startTls(SmtpChannel channel, EhloCapabilities caps,
                                                              SmtpClientConfig config, TlsPolicy policy, boolean lmtp) {
        if (!caps.startTls()) {
            if (policy.requiresTls()) {
                return Async.failed(tlsUnavailable(channel, policy,
                        "TLS is required, but was not offered by host " + channel.peer()));
            }
            return Async.done(caps);
        }
        return channel.exchange("STARTTLS", SmtpPhase.STARTTLS).thenCompose(reply -> {
            if (reply.code() == 220) {
                // RFC 3207 §4.2: forget what we learned before TLS and ask again.
                return channel.startTls(config.tlsClient(), policy)
                        .thenCompose(v -> lmtp ? lhlo(channel, config.heloName()) : hello(channel, config.heloName()));
            }
            if (reply.isClosing()) {
                return Async.failed(SmtpException.rejected(SmtpPhase.STARTTLS, reply, channel.host(), channel.address()));
            }
            if (policy.requiresTls()) {
                // Even a 5xx here is only this host's trouble with TLS: transient, try the next host.
                return Async.failed(tlsUnavailable(channel, policy, "TLS is required, but host " + channel.peer()
                        + " refused to start TLS: " + reply));
            }
            return Async.done(caps); // MAY and a refusal (454 TLS not available): carry on in plain text.
        });
    }

    private static SmtpException tlsUnavailable(SmtpChannel channel, TlsPolicy policy, String message) {
        return new TransientSmtpException(message + " (TLS policy " + policy.postfixName() + ")", null,
                SmtpPhase.STARTTLS, SmtpException.Kind.TLS_UNAVAILABLE, null, channel.host(), channel.address(),
                List.of());
    }

    /** RFC 2033 §4.1: LHLO, with EHLO's reply syntax; there is no HELO to fall back to. */
    private static CompletionStage<EhloCapabilities> lhlo(SmtpChannel channel, String heloName) {
        return channel.exchange("LHLO " + heloName, SmtpPhase.LHLO).thenCompose(lhlo -> lhlo.isPositive()
                ? Async.done(EhloCapabilities.fromEhloReply(lhlo))
                : Async.failed(SmtpException.rejected(SmtpPhase.LHLO, lhlo, channel.host(), channel.address())));
    }

    /** EHLO, or HELO when the server does not know EHLO (RFC 5321 §4.1.4: it answers 5xx). */
    private static CompletionStage<EhloCapabilities> hello(SmtpChannel channel, String heloName) {
        return channel.exchange("EHLO " + heloName, SmtpPhase.EHLO).thenCompose(ehlo -> {
            if (ehlo.isPositive()) {
                return Async.done(EhloCapabilities.fromEhloReply(ehlo));
            }
            if (!ehlo.isPermanent()) {
                return Async.failed(SmtpException.rejected(SmtpPhase.EHLO, ehlo, channel.host(), channel.address()));
            }
            return channel.exchange("HELO " + heloName, SmtpPhase.HELO).thenCompose(helo -> helo.isPositive()
                    ? Async.done(EhloCapabilities.none())
                    : Async.failed(SmtpException.rejected(SmtpPhase.HELO, helo, channel.host(), channel.address())));
        });
    }

    /**
     * Sends one message. On a reused connection an RSET comes first: it clears whatever the last
     * transaction left behind and proves the server is still there before we commit a message to
     * it (Postfix does the same before reusing a cached connection).
     *
     * @param message the raw message, sent byte for byte; a CRLF is added if it does not end with one
     * @return one outcome per recipient; or a {@link SmtpException}: the connection failed, recipients
     *         answered before the failure are in {@link SmtpException#decidedRecipients()}, the others
     *         are undecided
     * @throws IllegalStateException if the connection is closed (see {@link #isUsable()})
     */
    public CompletionStage<SmtpDeliveryResult> send(SmtpEnvelope envelope, byte[] message) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
        if (!usable) {
            throw new IllegalStateException("connection to " + channel.peer() + " is closed");
        }
        long start = System.nanoTime();
        CompletionStage<Void> ready = messages > 0 ? reset() : Async.done(null);
        messages++;
        return ready.thenCompose(v -> MailTransaction.run(channel, capabilities, envelope, message, lmtp))
                .handle((outcome, e) -> {
                    if (e != null) {
                        abandon();
                        throw new java.util.concurrent.CompletionException(Async.cause(e));
                    }
                    if (outcome.serverClosing()) {
                        abandon();
                    }
                    SmtpDeliveryResult.Timing timing = new SmtpDeliveryResult.Timing(setupTime,
                            Duration.ofNanos(System.nanoTime() - start), messages);
                    return new SmtpDeliveryResult(outcome.recipients(), channel.host(), channel.address(),
                            channel.tls(), timing, channel.localAddress(), heloName);
                });
    }

    private CompletionStage<Void> reset() {
        return channel.exchange("RSET", SmtpPhase.RSET).thenCompose(reply -> reply.isPositive() ? Async.done(null)
                : Async.failed(SmtpException.rejected(SmtpPhase.RSET, reply, channel.host(), channel.address())));
    }

    /** True until the connection failed, the server said 421, or {@link #close()} was called. */
    public boolean isUsable() {
        return usable;
    }

    public SmtpReply greeting() {
        return greeting;
    }

    public EhloCapabilities capabilities() {
        return capabilities;
    }

    public Optional<TlsInfo> tls() {
        return channel.tls();
    }

    public String remoteHost() {
        return channel.host();
    }

    public InetSocketAddress remoteAddress() {
        return channel.address();
    }

    /** Connect, greeting, EHLO and STARTTLS. */
    public Duration setupTime() {
        return setupTime;
    }

    /**
     * Says QUIT, waits for the reply (at most the QUIT timeout) and closes. Never fails: by now
     * nothing the server says changes any outcome.
     */
    public CompletionStage<Void> quit() {
        if (!usable) {
            channel.close();
            return Async.done(null);
        }
        usable = false;
        return channel.exchange("QUIT", SmtpPhase.QUIT).handle((reply, e) -> {
            channel.close(); // a failing QUIT changes nothing: the mail is already delivered or not
            return null;
        });
    }

    /** Starts {@link #quit()} and returns without waiting for it. */
    @Override
    public void close() {
        quit();
    }

    private void abandon() {
        usable = false;
        channel.close();
    }
}
