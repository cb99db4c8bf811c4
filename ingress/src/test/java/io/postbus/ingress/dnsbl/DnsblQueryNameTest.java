package io.postbus.ingress.dnsbl;

import static io.postbus.ingress.dnsbl.TestZones.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;

class DnsblQueryNameTest {

    @Test
    void ipv4OctetsAreReversed() {
        // RFC 5782 §2.1
        assertThat(DnsblQueryName.of(ip("192.0.2.99"), "bl.example")).isEqualTo("99.2.0.192.bl.example");
        assertThat(DnsblQueryName.of(ip("127.0.0.2"), "bl.example")).isEqualTo("2.0.0.127.bl.example"); // §5
    }

    @Test
    void ipv6NibblesAreReversedOneLabelEach() {
        // RFC 5782 §2.4
        assertThat(DnsblQueryName.of(ip("2001:db8:1:2:3:4:567:89ab"), "bl.example"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.example");
        assertThat(DnsblQueryName.reversed(ip("::1")))
                .isEqualTo("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0")
                .hasSize(63);
    }

    @Test
    void ipv4MappedAddressIsQueriedAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 99};
        Inet6Address v6 = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(DnsblQueryName.of(v6, "bl.example")).isEqualTo("99.2.0.192.bl.example");
        assertThat(DnsblQueryName.unmapped(v6)).isEqualTo(ip("192.0.2.99"));
        assertThat(DnsblQueryName.unmapped(ip("2001:db8::1"))).isEqualTo(ip("2001:db8::1"));
    }
}
