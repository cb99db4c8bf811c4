package io.postbus.ingress.proxy;

import static io.postbus.ingress.proxy.ProxyBytes.LOCAL;
import static io.postbus.ingress.proxy.ProxyBytes.PROXY;
import static io.postbus.ingress.proxy.ProxyBytes.ascii;
import static io.postbus.ingress.proxy.ProxyBytes.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.net.Cidr;
import io.postbus.ingress.proxy.ProxyDecision.Accept;
import io.postbus.ingress.proxy.ProxyDecision.Cause;
import io.postbus.ingress.proxy.ProxyDecision.Refuse;
import io.postbus.ingress.proxy.ProxyDecision.Wait;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §2 and §5: the header is required where configured, accepted only from trusted proxies. */
class ProxyPolicyTest {
    private final ProxyPolicy policy = ProxyPolicy.required("10.0.0.0/8", "[fd00::]/8");

    private static InetSocketAddress at(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port); // literals only: no lookup
    }

    @Test
    void trustedProxyWithHeaderIsAcceptedAsTheHeadersClient() throws UnknownHostException {
        byte[] wire = ascii("PROXY TCP4 192.0.2.1 198.51.100.7 54321 25\r\nEHLO x\r\n");
        ProxyDecision d = policy.evaluate(at("10.1.2.3", 40000), at("10.9.9.9", 2525), wire, wire.length);
        assertThat(d).isInstanceOf(Accept.class);
        Accept a = (Accept) d;
        assertThat(a.client()).isEqualTo(at("192.0.2.1", 54321));
        assertThat(a.server()).isEqualTo(at("198.51.100.7", 25));
        assertThat(a.consumed()).isEqualTo(44);
        assertThat(policy.evaluate(at("fd12::1", 40000), at("fd12::2", 2525), wire, wire.length)).isInstanceOf(Accept.class);
    }

    @Test
    void localAndUnknownKeepTheSocketsAddresses() throws UnknownHostException {
        // §2.1 UNKNOWN and §2.2 LOCAL: "use the real connection endpoints".
        InetSocketAddress peer = at("10.1.2.3", 40000);
        InetSocketAddress local = at("10.9.9.9", 2525);
        byte[] health = v2(LOCAL, 0x00);
        Accept a = (Accept) policy.evaluate(peer, local, health, health.length);
        assertThat(a.client()).isEqualTo(peer);
        assertThat(a.server()).isEqualTo(local);
        assertThat(a.header().command()).isEqualTo(ProxyHeader.Command.LOCAL);
        byte[] unknown = ascii("PROXY UNKNOWN\r\n");
        assertThat(((Accept) policy.evaluate(peer, local, unknown, unknown.length)).client()).isEqualTo(peer);
    }

    @Test
    void untrustedPeerIsRefusedWhateverItSends() throws UnknownHostException {
        byte[] wire = v2(PROXY, 0x11, new byte[12]);
        ProxyDecision d = policy.evaluate(at("192.0.2.66", 1), at("10.9.9.9", 25), wire, wire.length);
        assertThat(d).isInstanceOf(Refuse.class);
        assertThat(((Refuse) d).cause()).isEqualTo(Cause.UNTRUSTED_PEER);
        assertThat(policy.isTrustedProxy(InetAddress.getByName("10.255.0.1"))).isTrue();
        assertThat(policy.isTrustedProxy(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(policy.isTrustedProxy(InetAddress.getByName("fdff::1"))).isTrue();
        assertThat(policy.isTrustedProxy(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(policy.evaluate(InetSocketAddress.createUnresolved("lb.example", 1), at("10.9.9.9", 25), wire, wire.length))
                .as("an unresolved peer is not trusted").isInstanceOf(Refuse.class);
    }

    @Test
    void missingOrBrokenHeaderIsRefusedAndPartialWaits() throws UnknownHostException {
        // §2: "The receiver MUST NOT start processing the connection before it receives a complete and valid
        // PROXY protocol header."
        InetSocketAddress peer = at("10.1.2.3", 40000);
        byte[] smtp = ascii("EHLO client.example\r\n");
        ProxyDecision d = policy.evaluate(peer, null, smtp, smtp.length);
        assertThat(d).isInstanceOf(Refuse.class);
        assertThat(((Refuse) d).cause()).isEqualTo(Cause.INVALID_HEADER);
        assertThat(((Refuse) d).detail()).startsWith("BAD_SIGNATURE");
        byte[] partial = ascii("PROXY TCP4 1.2");
        assertThat(policy.evaluate(peer, null, partial, partial.length)).isEqualTo(new Wait(15));
        assertThat(policy.timedOut()).isInstanceOf(Refuse.class);
    }

    @Test
    void configurationFailsFast() {
        assertThatThrownBy(() -> ProxyPolicy.required(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0.0.0/0");
        assertThatThrownBy(() -> new ProxyPolicy(ProxyPolicy.Mode.OFF, List.of(Cidr.parse("10.0.0.0/8")), 4096, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyPolicy(ProxyPolicy.Mode.REQUIRED, List.of(Cidr.parse("10.0.0.0/8")), 4096, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyPolicy(ProxyPolicy.Mode.REQUIRED, List.of(Cidr.parse("10.0.0.0/8")), 70000, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyPolicy.required("lb.example/32")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offListenerNeverEvaluatesAHeader() throws UnknownHostException {
        ProxyPolicy off = ProxyPolicy.off();
        assertThat(off.required()).isFalse();
        assertThat(off.isTrustedProxy(InetAddress.getByName("10.0.0.1"))).isFalse();
        byte[] wire = ascii("PROXY UNKNOWN\r\n");
        assertThatThrownBy(() -> off.evaluate(at("10.0.0.1", 1), null, wire, wire.length)).isInstanceOf(IllegalStateException.class);
        // What the shell does there instead: spot the header and close (§5).
        assertThat(ProxyHeaderParser.looksLikeProxyHeader(wire)).isTrue();
    }

    @Test
    void policyCapReachesTheParser() throws UnknownHostException {
        ProxyPolicy small = new ProxyPolicy(ProxyPolicy.Mode.REQUIRED, List.of(Cidr.parse("0.0.0.0/0")), 12, Duration.ofSeconds(3));
        byte[] wire = v2(PROXY, 0x11, new byte[12], ProxyBytes.tlv(0x04, new byte[1]));
        ProxyDecision d = small.evaluate(at("10.0.0.1", 1), null, wire, wire.length);
        assertThat(((Refuse) d).detail()).startsWith("TOO_LARGE");
    }
}
