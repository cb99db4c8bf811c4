package io.postbus.delivery.smtp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client session with one SMTP server, sending raw message bytes unchanged (dot-stuffing
 * aside), so DKIM signatures survive. Blocking, on plain {@code java.net} sockets: run it on a
 * worker thread, never on an event loop. Not thread-safe: one thread drives one connection.
 *
 * <pre>{@code
 * try (SmtpConnection c = SmtpConnection.open("mx.example.net", address, config)) {
 *     SmtpDeliveryResult r1 = c.send(envelope1, bytes1);
 *     SmtpDeliveryResult r2 = c.send(envelope2, bytes2);   // same connection, after RSET
 * }
 * }</pre>
 *
 * <p>A message's per-recipient outcomes come back as a {@link SmtpDeliveryResult}; a failure of
 * the session itself (refused, timeout, reset, TLS, protocol, a refusing greeting) is thrown as
 * a classified {@link SmtpException} and leaves the connection closed.
 */
public final class SmtpConnection implements AutoCloseable {

    private final SmtpWire wire;
    private final SmtpReply greeting;
    private final EhloCapabilities capabilities;
    private final Duration setupTime;
    private final boolean lmtp;
    private boolean usable = true;
    private int messages;

    private SmtpConnection(SmtpWire wire, SmtpReply greeting, EhloCapabilities capabilities, Duration setupTime,
                           boolean lmtp) {
        this.lmtp = lmtp;
        this.wire = wire;
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
     * @throws SmtpException the session could not be set up; the type says if it is transient
     */
    public static SmtpConnection open(String remoteHost, InetSocketAddress address, SmtpClientConfig config)
            throws SmtpException {
        Objects.requireNonNull(remoteHost, "remoteHost");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        TlsPolicy policy = config.tlsPolicy();
        try {
            return establish(remoteHost, address, config, policy);
        } catch (SmtpException e) {
            if (policy == TlsPolicy.MAY && e.kind() == SmtpException.Kind.TLS) {
                return establish(remoteHost, address, config, TlsPolicy.NONE);
            }
            throw e;
        }
    }

    private static SmtpConnection establish(String host, InetSocketAddress address, SmtpClientConfig config,
                                            TlsPolicy policy) throws SmtpException {
        long start = System.nanoTime();
        SmtpWire wire = SmtpWire.connect(host, address, config.sourceAddress(), config.timeouts());
        try {
            SmtpReply greeting = wire.read(SmtpPhase.GREETING);
            if (!greeting.isPositive()) {
                // RFC 5321 §3.1: 554 means no service here; 421 means come back later.
                throw SmtpException.rejected(SmtpPhase.GREETING, greeting, host, address);
            }
            boolean lmtp = config.protocol() == SmtpClientConfig.Protocol.LMTP;
            EhloCapabilities caps = lmtp ? lhlo(wire, config.heloName()) : hello(wire, config.heloName());
            if (policy != TlsPolicy.NONE) {
                caps = startTls(wire, caps, config, policy, lmtp);
            }
            if (config.sasl().isPresent()) {
                SmtpAuthentication.authenticate(wire, caps, config.sasl().get());
            }
            return new SmtpConnection(wire, greeting, caps, Duration.ofNanos(System.nanoTime() - start), lmtp);
        } catch (SmtpException e) {
            wire.close();
            throw e;
        }
    }

    /** STARTTLS (RFC 3207) if offered; returns the capabilities to use from now on. */
    private static EhloCapabilities startTls(SmtpWire wire, EhloCapabilities caps, SmtpClientConfig config,
                                             TlsPolicy policy, boolean lmtp) throws SmtpException {
        if (!caps.startTls()) {
            if (policy.requiresTls()) {
                throw tlsUnavailable(wire, policy, "TLS is required, but was not offered by host " + wire.peer());
            }
            return caps;
        }
        wire.command("STARTTLS");
        wire.flush(SmtpPhase.STARTTLS);
        SmtpReply reply = wire.read(SmtpPhase.STARTTLS);
        if (reply.code() == 220) {
            wire.startTls(config.tlsClient(), policy);
            // RFC 3207 §4.2: forget what we learned before TLS and ask again.
            return lmtp ? lhlo(wire, config.heloName()) : hello(wire, config.heloName());
        }
        if (reply.isClosing()) {
            throw SmtpException.rejected(SmtpPhase.STARTTLS, reply, wire.host(), wire.address());
        }
        if (policy.requiresTls()) {
            // Even a 5xx here is only this host's trouble with TLS: transient, try the next host.
            throw tlsUnavailable(wire, policy, "TLS is required, but host " + wire.peer() + " refused to start TLS: "
                    + reply);
        }
        return caps; // MAY and a refusal (454 TLS not available): carry on in plain text.
    }

    private static SmtpException tlsUnavailable(SmtpWire wire, TlsPolicy policy, String message) {
        return new TransientSmtpException(message + " (TLS policy " + policy.postfixName() + ")", null,
                SmtpPhase.STARTTLS, SmtpException.Kind.TLS_UNAVAILABLE, null, wire.host(), wire.address(), List.of());
    }

    /** RFC 2033 §4.1: LHLO, with EHLO's reply syntax; there is no HELO to fall back to. */
    private static EhloCapabilities lhlo(SmtpWire wire, String heloName) throws SmtpException {
        wire.command("LHLO " + heloName);
        wire.flush(SmtpPhase.LHLO);
        SmtpReply lhlo = wire.read(SmtpPhase.LHLO);
        if (!lhlo.isPositive()) {
            throw SmtpException.rejected(SmtpPhase.LHLO, lhlo, wire.host(), wire.address());
        }
        return EhloCapabilities.fromEhloReply(lhlo);
    }

    /** EHLO, or HELO when the server does not know EHLO (RFC 5321 §4.1.4: it answers 5xx). */
    private static EhloCapabilities hello(SmtpWire wire, String heloName) throws SmtpException {
        wire.command("EHLO " + heloName);
        wire.flush(SmtpPhase.EHLO);
        SmtpReply ehlo = wire.read(SmtpPhase.EHLO);
        if (ehlo.isPositive()) {
            return EhloCapabilities.fromEhloReply(ehlo);
        }
        if (!ehlo.isPermanent()) {
            throw SmtpException.rejected(SmtpPhase.EHLO, ehlo, wire.host(), wire.address());
        }
        wire.command("HELO " + heloName);
        wire.flush(SmtpPhase.HELO);
        SmtpReply helo = wire.read(SmtpPhase.HELO);
        if (!helo.isPositive()) {
            throw SmtpException.rejected(SmtpPhase.HELO, helo, wire.host(), wire.address());
        }
        return EhloCapabilities.none();
    }

    /**
     * Sends one message. On a reused connection an RSET comes first: it clears whatever the last
     * transaction left behind and proves the server is still there before we commit a message to
     * it (Postfix does the same before reusing a cached connection).
     *
     * @param message the raw message, sent byte for byte; a CRLF is added if it does not end with one
     * @return one outcome per recipient
     * @throws SmtpException the connection failed; recipients answered before the failure are in
     *         {@link SmtpException#decidedRecipients()}, the others are undecided
     * @throws IllegalStateException if the connection is closed (see {@link #isUsable()})
     */
    public SmtpDeliveryResult send(SmtpEnvelope envelope, byte[] message) throws SmtpException {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
        if (!usable) {
            throw new IllegalStateException("connection to " + wire.peer() + " is closed");
        }
        long start = System.nanoTime();
        MailTransaction.Outcome outcome;
        try {
            if (messages > 0) {
                reset();
            }
            messages++;
            outcome = MailTransaction.run(wire, capabilities, envelope, message, lmtp);
        } catch (SmtpException e) {
            abandon();
            throw e;
        }
        if (outcome.serverClosing()) {
            abandon();
        }
        SmtpDeliveryResult.Timing timing = new SmtpDeliveryResult.Timing(setupTime,
                Duration.ofNanos(System.nanoTime() - start), messages);
        return new SmtpDeliveryResult(outcome.recipients(), wire.host(), wire.address(), wire.tls(), timing);
    }

    private void reset() throws SmtpException {
        wire.command("RSET");
        wire.flush(SmtpPhase.RSET);
        SmtpReply reply = wire.read(SmtpPhase.RSET);
        if (!reply.isPositive()) {
            throw SmtpException.rejected(SmtpPhase.RSET, reply, wire.host(), wire.address());
        }
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
        return wire.tls();
    }

    public String remoteHost() {
        return wire.host();
    }

    public InetSocketAddress remoteAddress() {
        return wire.address();
    }

    /** Connect, greeting, EHLO and STARTTLS. */
    public Duration setupTime() {
        return setupTime;
    }

    /** Says QUIT and closes. Never throws: by now nothing the server says changes any outcome. */
    @Override
    public void close() {
        if (usable) {
            usable = false;
            try {
                wire.command("QUIT");
                wire.flush(SmtpPhase.QUIT);
                wire.read(SmtpPhase.QUIT);
            } catch (SmtpException ignored) {
                // The mail is already delivered or not; a failing QUIT changes nothing.
            }
        }
        wire.close();
    }

    private void abandon() {
        usable = false;
        wire.close();
    }
}
