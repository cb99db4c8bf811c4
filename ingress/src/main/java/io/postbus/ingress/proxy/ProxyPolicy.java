package io.postbus.ingress.proxy;

import io.postbus.core.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How one listener treats the PROXY protocol. The spec (§2, §5) forbids guessing: a listener either
 * requires the header on every connection or never accepts one.
 *
 * <ul>
 *   <li>{@link Mode#REQUIRED}: only peers inside {@code trustedProxies} may connect; each must send a
 *       valid header within {@code headerTimeout} before anything else, or the connection is closed.
 *       The shell sends no banner until {@link #evaluate} says {@code Accept} (the spec: the receiver
 *       must not start processing before a complete header, notably when it speaks first, as SMTP
 *       does).
 *   <li>{@link Mode#OFF}: the header is never accepted. The shell may use
 *       {@link ProxyHeaderParser#looksLikeProxyHeader} on the first bytes to close such connections
 *       early; otherwise the SMTP parser refuses "PROXY" as an unknown command.
 * </ul>
 *
 * @param maxV2Length    cap on the v2 length field, see {@link ProxyHeaderParser}
 * @param headerTimeout  how long the shell waits for the header; the spec suggests at least 3 seconds
 *                       to cover a TCP retransmit
 */
public record ProxyPolicy(Mode mode, List<Cidr> trustedProxies, int maxV2Length, Duration headerTimeout) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);

    public enum Mode {
        OFF,
        REQUIRED
    }

    public ProxyPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        trustedProxies = List.copyOf(trustedProxies);
        if (mode == Mode.REQUIRED && trustedProxies.isEmpty()) {
            // Trusting everyone must be spelled out (0.0.0.0/0 and ::/0), never the result of a missing key.
            throw new IllegalArgumentException("a PROXY listener needs trustedProxies; list 0.0.0.0/0 and ::/0 to trust all");
        }
        if (mode == Mode.OFF && !trustedProxies.isEmpty()) {
            throw new IllegalArgumentException("trustedProxies given but the PROXY protocol is off");
        }
        if (maxV2Length < 0 || maxV2Length > 0xffff) {
            throw new IllegalArgumentException("maxV2Length must be within 0..65535: " + maxV2Length);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("headerTimeout must be positive: " + headerTimeout);
        }
    }

    /** A listener without the PROXY protocol: plain SMTP clients. */
    public static ProxyPolicy off() {
        return new ProxyPolicy(Mode.OFF, List.of(), ProxyHeaderParser.DEFAULT_MAX_V2_LENGTH, DEFAULT_HEADER_TIMEOUT);
    }

    /** A listener behind load balancers in these networks, with the default cap and timeout. */
    public static ProxyPolicy required(List<Cidr> trustedProxies) {
        return new ProxyPolicy(Mode.REQUIRED, trustedProxies, ProxyHeaderParser.DEFAULT_MAX_V2_LENGTH, DEFAULT_HEADER_TIMEOUT);
    }

    /** {@link #required(List)} from CIDR texts such as "10.0.0.0/8" (literals only, no DNS). */
    public static ProxyPolicy required(String... trustedProxies) {
        return required(Arrays.stream(trustedProxies).map(Cidr::parse).toList());
    }

    public boolean required() {
        return mode == Mode.REQUIRED;
    }

    /** Whether the socket peer lies in one of the trusted proxy networks. Shells check this on accept. */
    public boolean isTrustedProxy(InetAddress peer) {
        Objects.requireNonNull(peer, "peer");
        for (Cidr c : trustedProxies) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /** A parser honouring this policy's cap. */
    public ProxyHeaderParser parser() {
        return new ProxyHeaderParser(maxV2Length);
    }

    /**
     * Decides a connection on a {@link Mode#REQUIRED} listener from the bytes received so far
     * ({@code buf[0, length)}): the peer must be trusted and the bytes must start with a valid header.
     *
     * @param peer  the socket's remote address (the proxy)
     * @param local the socket's local address, used as the server when the header names none
     * @throws IllegalStateException on a listener whose mode is {@link Mode#OFF}
     */
    public ProxyDecision evaluate(InetSocketAddress peer, InetSocketAddress local, byte[] buf, int length) {
        return evaluate(peer, local, parser().parse(buf, length));
    }

    /** {@link #evaluate(InetSocketAddress, InetSocketAddress, byte[], int)} on a result already parsed. */
    public ProxyDecision evaluate(InetSocketAddress peer, InetSocketAddress local, ProxyParseResult result) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(result, "result");
        if (mode != Mode.REQUIRED) {
            throw new IllegalStateException("the PROXY protocol is off on this listener");
        }
        if (peer.getAddress() == null || !isTrustedProxy(peer.getAddress())) {
            return new ProxyDecision.Refuse(ProxyDecision.Cause.UNTRUSTED_PEER, "peer " + peer + " is not a trusted proxy");
        }
        if (result instanceof ProxyParseResult.Parsed p) {
            return new ProxyDecision.Accept(p.header().clientOr(peer), p.header().serverOr(local), p.header(), p.consumed());
        }
        if (result instanceof ProxyParseResult.NeedMore n) {
            return new ProxyDecision.Wait(n.atLeast());
        }
        ProxyParseResult.Invalid i = (ProxyParseResult.Invalid) result;
        return new ProxyDecision.Refuse(ProxyDecision.Cause.INVALID_HEADER, i.reason() + ": " + i.detail());
    }

    /**
     * What to record when the header did not arrive within {@link #headerTimeout()}: the spec (§2)
     * lets the receiver abort, and a half header is as good as none.
     */
    public ProxyDecision timedOut() {
        return new ProxyDecision.Refuse(ProxyDecision.Cause.INVALID_HEADER, "no complete PROXY header within " + headerTimeout);
    }
}
