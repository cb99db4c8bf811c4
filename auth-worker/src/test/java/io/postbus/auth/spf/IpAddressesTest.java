package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address parsing and CIDR matching for ip4, ip6, a and mx (RFC 7208 §5.3, §5.6). */
class IpAddressesTest {

    static byte[] bytes(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress();
    }

    /** §5.6: the network and the client agree on the first prefix bits, and only those. */
    @ParameterizedTest(name = "{0} in {1}/{2}: {3}")
    @CsvSource({
            "192.0.2.3,     192.0.2.0,     24,  true",
            "192.0.3.3,     192.0.2.0,     24,  false",
            "192.0.2.3,     192.0.2.2,     31,  true",
            "192.0.2.3,     192.0.2.2,     32,  false",
            "10.0.0.1,      192.0.2.0,     0,   true",
            "192.0.2.129,   192.0.2.128,   25,  true",
            "192.0.2.127,   192.0.2.128,   25,  false",
            "2001:db8::1,   2001:db8::,    127, true",
            "2001:db8::1,   2001:db8::,    128, false",
            "cafe:babe:8000::, cafe:babe:8000::, 33, true",
            "cafe:babe::,   cafe:babe:8000::, 33, false",
            "cafe:babe::,   cafe:babe:8000::, 32, true",
            "2001:db8::1,   ::,            0,   true",
    })
    void sameNetwork(String client, String network, int prefix, boolean within) throws Exception {
        assertThat(IpAddresses.sameNetwork(bytes(network), bytes(client), prefix)).isEqualTo(within);
    }

    @Test
    void familiesNeverMatchEachOther() throws Exception {
        assertThat(IpAddresses.sameNetwork(bytes("::"), bytes("192.0.2.1"), 0)).isFalse();
        assertThat(IpAddresses.sameNetwork(bytes("0.0.0.0"), bytes("2001:db8::1"), 0)).isFalse();
    }

    /** ip4-network (§5.6): four qnum without leading zeros; never a DNS lookup. */
    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "1.2.03.4", "1.2.3.256", "1.2.3.4:8080", "1.2.3.4 ", "a.b.c.d",
            "1..3.4", "", "1.2.3.-4", "0x1.2.3.4"})
    void invalidIp4(String text) {
        assertThat(IpAddresses.parseIp4(text)).isEmpty();
    }

    @Test
    void validIp4() throws Exception {
        assertThat(IpAddresses.parseIp4("192.0.2.255")).hasValueSatisfying(b -> assertThat(b).isEqualTo(new byte[] {
                (byte) 192, 0, 2, (byte) 255}));
        assertThat(IpAddresses.parseIp4("0.0.0.0")).isPresent();
    }

    /** ip6-network (§5.6, RFC 4291 §2.2); a mapped address stays 16 bytes so ip6 never matches IPv4. */
    @Test
    void ip6Literals() throws Exception {
        assertThat(IpAddresses.parseIp6("2001:DB8::cb01")).hasValueSatisfying(b -> assertThat(b).hasSize(16));
        assertThat(IpAddresses.parseIp6("::1.1.1.1")).hasValueSatisfying(b -> assertThat(b).hasSize(16));
        assertThat(IpAddresses.parseIp6("::FFFF:1.2.3.4")).hasValueSatisfying(b ->
                assertThat(b).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 1, 2, 3, 4}));
    }

    @ParameterizedTest
    @ValueSource(strings = {":CAFE::BABE", "1::2::3", "2001:db8:ZZZZ::", "[::1]", "fe80::1%eth0", "::1.2.03.4",
            "12345::", "1.2.3.4", "", "::1/64", "example.com"})
    void invalidIp6(String text) {
        assertThat(IpAddresses.parseIp6(text)).isEmpty();
    }

    /** §5: "an IPv4-mapped IPv6 IP address [...] MUST still be considered an IPv4 address". */
    @Test
    void mappedClientIsUnmapped() throws Exception {
        // InetAddress.getByName would already unmap it; a socket's peer address need not be.
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 7}, -1);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(IpAddresses.unmapped(mapped).getAddress()).hasSize(4).isEqualTo(bytes("192.0.2.7"));
        assertThat(IpAddresses.unmapped(InetAddress.getByName("2001:db8::1")).getAddress()).hasSize(16);
    }

    /** The "c" macro (§7.3) prints IPv6 in RFC 5952 §4 form: lower case, longest zero run as "::", none for one group. */
    @ParameterizedTest
    @CsvSource({
            "2001:0DB8:0:0:0:0:0:0001, 2001:db8::1",
            "2001:db8:0:1:1:1:1:1,     2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1,       2001:0:0:1::1",
            "2001:db8:0:0:1:0:0:1,     2001:db8::1:0:0:1",
            "0:0:0:0:0:0:0:0,          ::",
            "0:0:0:0:0:0:0:1,          ::1",
            "CAFE:BABE::1,             cafe:babe::1",
            "1:0:0:0:0:0:0:0,          1::",
    })
    void readableIpv6(String address, String expected) throws Exception {
        assertThat(IpAddresses.readable(InetAddress.getByName(address))).isEqualTo(expected);
    }

    /** The "i" macro (§7.3): IPv6 as 32 dot-separated nibbles. */
    @Test
    void dottedNibbles() throws Exception {
        assertThat(IpAddresses.dotted(InetAddress.getByName("2001:db8::cb01")))
                .isEqualTo("2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.C.B.0.1");
        assertThat(IpAddresses.dotted(InetAddress.getByName("192.0.2.3"))).isEqualTo("192.0.2.3");
    }
}
