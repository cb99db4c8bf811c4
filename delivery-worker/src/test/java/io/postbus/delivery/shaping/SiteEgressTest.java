package io.postbus.delivery.shaping;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** source-address= and helo-name= in the shaping file, and the choice of a pool address. */
class SiteEgressTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void entriesAndTheDefaultEntry() throws Exception {
        ShapingConfig c = ShapingConfig.parse("""
                default  source-address=192.0.2.10 helo-name=mta.example.com
                bulk     max-connections=5 source-address=192.0.2.20,192.0.2.21,2001:db8::20
                         helo-name=bulk.example.com
                gmail    max-connections=30
                """, "shaping");
        assertThat(c.egressFor("BULK")).isEqualTo(new SiteEgress(List.of(ip("192.0.2.20"), ip("192.0.2.21"),
                ip("2001:db8::20")), Optional.of("bulk.example.com")));
        assertThat(c.limitsFor("bulk").maxConnections()).isEqualTo(5);
        assertThat(c.egressFor("gmail")).as("an entry without them takes the default entry's")
                .isEqualTo(new SiteEgress(List.of(ip("192.0.2.10")), Optional.of("mta.example.com")));
        assertThat(c.egressFor("example.org")).isEqualTo(c.egressFor("gmail"));
        assertThat(ShapingConfig.defaults().egressFor("x")).isEqualTo(SiteEgress.NONE);
    }

    @Test
    void badValuesAreErrorsWithTheLine() {
        assertThatThrownBy(() -> ShapingConfig.parse("a source-address=mail.example.com\n", "f"))
                .isInstanceOf(ShapingFileException.class).hasMessageContaining("f").hasMessageContaining("IP addresses");
        assertThatThrownBy(() -> ShapingConfig.parse("a source-address=192.0.2.1,192.0.2.1\n", "f"))
                .isInstanceOf(ShapingFileException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ShapingConfig.parse("a helo-name=bad\u0001name\n", "f"))
                .isInstanceOf(ShapingFileException.class).hasMessageContaining("helo-name");
        assertThatThrownBy(() -> ShapingConfig.parse("a helo-name=x.test helo-name=y.test\n", "f"))
                .isInstanceOf(ShapingFileException.class).hasMessageContaining("given twice");
        assertThatThrownBy(() -> ShapingConfig.parse("a source-adress=192.0.2.1\n", "f"))
                .isInstanceOf(ShapingFileException.class).hasMessageContaining("source-address");
    }

    @Test
    void onlyAddressesOfTheDestinationsFamilyAreCandidates() throws Exception {
        SiteEgress pool = new SiteEgress(List.of(ip("192.0.2.1"), ip("2001:db8::1")), Optional.empty());
        for (String domain : List.of("a.test", "b.test", "c.test", "d.test")) {
            assertThat(pool.sourceFor(ip("198.51.100.7"), domain)).contains(ip("192.0.2.1"));
            assertThat(pool.sourceFor(ip("2001:db8:ffff::25"), domain)).contains(ip("2001:db8::1"));
        }
        SiteEgress v6only = new SiteEgress(List.of(ip("::1")), Optional.empty());
        assertThat(v6only.sourceFor(ip("127.0.0.1"), "a.test")).as("none of that family: no bind").isEmpty();
    }

    @Test
    void aPoolSpreadsDomainsAndKeepsEachOnOneAddress() throws Exception {
        SiteEgress pool = new SiteEgress(List.of(ip("192.0.2.1"), ip("192.0.2.2"), ip("192.0.2.3")), Optional.empty());
        Set<InetAddress> used = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String domain = "domain" + i + ".test";
            Optional<InetAddress> first = pool.sourceFor(ip("198.51.100.7"), domain);
            assertThat(pool.sourceFor(ip("203.0.113.9"), domain.toUpperCase(java.util.Locale.ROOT)))
                    .as("the same domain, another MX address: the same source").isEqualTo(first);
            used.add(first.orElseThrow());
        }
        assertThat(used).hasSize(3);
    }
}
