package io.postbus.ingress.proxy;

import static io.postbus.ingress.proxy.ProxyBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.proxy.ProxyHeader.Command;
import io.postbus.ingress.proxy.ProxyHeader.Family;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records validate in their constructors and do not leak mutable state. */
class ProxyValuesTest {

    @Test
    void tlvValueIsCopied() {
        byte[] v = bytes(1, 2, 3);
        ProxyTlv t = new ProxyTlv(0xE0, v);
        v[0] = 9;
        t.value()[1] = 9;
        assertThat(t.value()).containsExactly(1, 2, 3);
        assertThat(t).isEqualTo(new ProxyTlv(0xE0, bytes(1, 2, 3)));
        assertThat(t.toString()).contains("0xe0").contains("length=3");
        assertThatThrownBy(() -> new ProxyTlv(256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headerRejectsInconsistentCombinations() throws UnknownHostException {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 25);
        assertThatThrownBy(() -> new ProxyHeader(3, Command.PROXY, Family.TCP4, a, a, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(2, Command.LOCAL, Family.TCP4, a, a, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(2, Command.PROXY, Family.TCP4, null, null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(2, Command.PROXY, Family.TCP4, a, null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(2, Command.PROXY, Family.UNKNOWN, a, a, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(1, Command.PROXY, Family.UDP4, a, a, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(1, Command.LOCAL, Family.UNKNOWN, null, null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(1, Command.PROXY, Family.TCP4, a, a, List.of(new ProxyTlv(4, new byte[0]))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyHeader(2, Command.PROXY, Family.TCP4, a, a, List.of(new ProxyTlv(0x02, bytes('a', '\n')))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ProxyHeader(2, Command.PROXY, Family.TCP4, a, a, List.of()).clientOr(null)).isEqualTo(a);
    }

    @Test
    void sslInfoValidates() {
        assertThat(ProxySslInfo.decode(bytes(1, 0, 0, 0))).isNull();
        assertThatThrownBy(() -> new ProxySslInfo(0x100, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxySslInfo(1, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxySslInfo(1, 0, List.of(new ProxyTlv(0x22, bytes(0xff)))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
