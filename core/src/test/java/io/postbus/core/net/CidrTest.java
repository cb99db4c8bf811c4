package io.postbus.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address blocks in Postfix's mynetworks syntax (postconf(5) mynetworks; RFC 4632 prefixes, RFC 4291 IPv6 text). */
class CidrTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByAddress(Cidr.literal(literal));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ipv4BlockContainsItsAddressesOnly() {
        Cidr c = Cidr.parse("10.0.0.0/8");
        assertThat(c.contains(ip("10.0.0.0"))).isTrue();
        assertThat(c.contains(ip("10.255.255.255"))).isTrue();
        assertThat(c.contains(ip("11.0.0.0"))).isFalse();
        assertThat(c.contains(ip("9.255.255.255"))).isFalse();
        assertThat(c.contains(ip("::ffff:0:0"))).as("an IPv6 address is never in an IPv4 block").isFalse();
        assertThat(c.prefixLength()).isEqualTo(8);
        assertThat(c).hasToString("10.0.0.0/8");
    }

    @Test
    void prefixesNeedNotBeOctetAligned() {
        Cidr c = Cidr.parse("192.0.2.128/25");
        assertThat(c.contains(ip("192.0.2.128"))).isTrue();
        assertThat(c.contains(ip("192.0.2.255"))).isTrue();
        assertThat(c.contains(ip("192.0.2.127"))).isFalse();
        Cidr odd = Cidr.parse("172.16.0.0/12");
        assertThat(odd.contains(ip("172.31.255.255"))).isTrue();
        assertThat(odd.contains(ip("172.32.0.0"))).isFalse();
    }

    @Test
    void hostBitsAreClearedSoEquivalentBlocksAreEqual() {
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8")).hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/9"));
        assertThat(Cidr.parse("2001:db8:1::/32")).isEqualTo(Cidr.parse("2001:db8::/32"));
    }

    @Test
    void aBareAddressAndSlash32AreOneHost() {
        Cidr bare = Cidr.parse("192.0.2.7");
        assertThat(bare).isEqualTo(Cidr.parse("192.0.2.7/32"));
        assertThat(bare.prefixLength()).isEqualTo(32);
        assertThat(bare.contains(ip("192.0.2.7"))).isTrue();
        assertThat(bare.contains(ip("192.0.2.6"))).isFalse();
        assertThat(bare.contains(ip("192.0.2.8"))).isFalse();
    }

    @Test
    void slash0IsTheWholeFamilyAndNoMore() {
        Cidr all4 = Cidr.parse("0.0.0.0/0");
        assertThat(all4.contains(ip("0.0.0.0"))).isTrue();
        assertThat(all4.contains(ip("255.255.255.255"))).isTrue();
        assertThat(all4.contains(ip("203.0.113.9"))).isTrue();
        assertThat(all4.contains(ip("::1"))).isFalse();
        Cidr all6 = Cidr.parse("::/0");
        assertThat(all6.contains(ip("2001:db8::1"))).isTrue();
        assertThat(all6.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(all6.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void ipv6BlocksPlainAndBracketedAsInMynetworks() {
        Cidr c = Cidr.parse("[2001:db8::]/32");
        assertThat(c).isEqualTo(Cidr.parse("2001:db8::/32"));
        assertThat(c.contains(ip("2001:db8:ffff:ffff::1"))).isTrue();
        assertThat(c.contains(ip("2001:db9::"))).isFalse();
        assertThat(c.contains(ip("10.0.0.1"))).isFalse();
        assertThat(c).hasToString("2001:db8:0:0:0:0:0:0/32");
    }

    @Test
    void loopbackSlash128BracketedOrNot() {
        Cidr bracketed = Cidr.parse("[::1]/128");
        assertThat(bracketed).isEqualTo(Cidr.parse("::1/128")).isEqualTo(Cidr.parse("::1")).isEqualTo(Cidr.parse("[::1]"));
        assertThat(bracketed.prefixLength()).isEqualTo(128);
        assertThat(bracketed.contains(ip("::1"))).isTrue();
        assertThat(bracketed.contains(ip("::2"))).isFalse();
        assertThat(bracketed.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void ipv6PrefixInsideAGroup() {
        Cidr c = Cidr.parse("fe80::/10");
        assertThat(c.contains(ip("febf:ffff::1"))).isTrue();
        assertThat(c.contains(ip("fec0::"))).isFalse();
        Cidr pair = Cidr.parse("2001:db8::/127");
        assertThat(pair.contains(ip("2001:db8::1"))).isTrue();
        assertThat(pair.contains(ip("2001:db8::2"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "10.0.0.0/33", "::1/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/abc", "/8", "",
            "localhost", "localhost/8", "mx.example.com/24", "[mx.example.com]/24",
            "10.0.0", "10.0.0.0.0", "256.0.0.0/8", "999.999.999.999", "1.2.3.4444",
            "2001:db8::g/32", "1::2::3", "fe80::1%eth0", "::1:2:3:4:5:6:7:8:9"})
    void rejectsWhatIsNotALiteralBlock(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructorChecksThePrefixAgainstTheAddressFamily() {
        assertThatThrownBy(() -> new Cidr(new byte[4], 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cidr(new byte[16], -1)).isInstanceOf(IllegalArgumentException.class);
        byte[] net = {10, 0, 0, 0};
        Cidr c = new Cidr(net, 8);
        net[0] = 11; // the record keeps its own copy
        assertThat(c).isEqualTo(Cidr.parse("10.0.0.0/8"));
        c.network()[0] = 12;
        assertThat(c).isEqualTo(Cidr.parse("10.0.0.0/8"));
    }

    /**
     * The resolver must never be asked, even for text that looks almost like an address. A child JVM
     * gets a hosts file (the JDK's {@code jdk.net.hosts.file}) in which such texts DO resolve; any
     * lookup would turn them into blocks.
     */
    @Test
    void neverAsksTheResolver(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, """
                10.9.8.7 999.999.999.999
                10.9.8.6 256.1.1.1
                10.9.8.5 relay.example.test
                10.9.8.4 1::2::3
                """, StandardCharsets.UTF_8);
        List<String> out = runProbe(hosts, "999.999.999.999/8", "256.1.1.1", "relay.example.test/24", "[1::2::3]/64",
                "10.0.0.0/8");
        assertThat(out).containsExactly(
                "999.999.999.999/8 rejected",
                "256.1.1.1 rejected",
                "relay.example.test/24 rejected",
                "[1::2::3]/64 rejected",
                "10.0.0.0/8 parsed 10.0.0.0/8");
    }

    private static List<String> runProbe(Path hosts, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Djdk.net.hosts.file=" + hosts,
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    /** Runs in the child JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            for (String a : args) {
                try {
                    System.out.println(a + " parsed " + Cidr.parse(a));
                } catch (IllegalArgumentException e) {
                    System.out.println(a + " rejected");
                }
            }
        }
    }
}
