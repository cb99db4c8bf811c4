package io.postbus.delivery.route;

import io.postbus.core.table.ReloadingTable;
import io.postbus.core.table.TableSource;
import io.postbus.delivery.smtp.TlsPolicy;
import io.postbus.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Postfix smtp_tls_policy_maps keys (TLS_README "TLS policy table") read from a postmap file that reloads. */
class TlsPolicyMapTest {

    @Test
    void keysFromMostToLeastSpecific() {
        assertThat(TlsPolicyMap.keys(NextHop.parse("mail.example.org")))
                .containsExactly("mail.example.org", ".example.org", ".org");
        assertThat(TlsPolicyMap.keys(NextHop.parse("example.com:2525")))
                .containsExactly("example.com:2525", "example.com", ".com");
        assertThat(TlsPolicyMap.keys(NextHop.parse("[mx.example.net]")))
                .containsExactly("[mx.example.net]:25", "[mx.example.net]");
        assertThat(TlsPolicyMap.keys(NextHop.parse("[mx.example.net]:587"))).containsExactly("[mx.example.net]:587");
    }

    @Test
    void entriesForDomainsSubdomainsAndBracketedHostsAndReloading(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tls_policy");
        Files.writeString(file, """
                # Postfix TLS policy table
                example.com             encrypt
                .example.org            may
                [mx.example.net]:25     verify match=hostname
                broken.test             secure
                signed.test             dane-only
                """);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ReloadingTable table = new ReloadingTable(TableSource.postmap(file), Duration.ofSeconds(30), clock);
        TlsPolicyMap map = new TlsPolicyMap(List.of(table));

        assertThat(level(map, "example.com")).isEqualTo(TlsPolicy.ENCRYPT);
        assertThat(map.lookup(NextHop.parse("sub.example.com"))).as(".example.com is not in the table").isEmpty();
        assertThat(level(map, "mail.example.org")).isEqualTo(TlsPolicy.MAY);
        assertThat(map.lookup(NextHop.parse("example.org"))).as(".domain matches subdomains only").isEmpty();
        assertThat(level(map, "[mx.example.net]")).as("attributes after the level are ignored").isEqualTo(TlsPolicy.VERIFY);
        assertThat(map.lookup(NextHop.parse("mx.example.net"))).as("MX lookup: a different next hop").isEmpty();
        assertThat(map.lookup(NextHop.parse("broken.test"))).hasValueSatisfying(m ->
                assertThat(m).isEqualTo(new TlsPolicyMap.Match.Invalid("secure", "broken.test", file.toString())));
        assertThat(level(map, "signed.test")).as("Postfix's DANE levels").isEqualTo(TlsPolicy.DANE_ONLY);

        Files.writeString(file, "example.com verify\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        clock.advance(Duration.ofSeconds(31));
        table.refreshIfDue();
        assertThat(level(map, "example.com")).as("hot reload (ADR 0004)").isEqualTo(TlsPolicy.VERIFY);
    }

    private static TlsPolicy level(TlsPolicyMap map, String hop) {
        return ((TlsPolicyMap.Match.Level) map.lookup(NextHop.parse(hop)).orElseThrow()).level();
    }
}
