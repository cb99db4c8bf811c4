package io.postbus.ingress.dnsbl;

import static io.postbus.ingress.dnsbl.TestZones.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code postscreen_dnsbl_sites} entries, as the Postfix postconf(5) manual describes them. */
class DnsblSiteTest {

    @Test
    void parsesTheDocumentedForms() {
        List<DnsblSite> sites = DnsblSite.parseList("zen.spamhaus.org*3, b.barracudacentral.org=127.0.0.[2..11]*2,"
                + " bl.spameatingmonkey.net*2, list.dnswl.org=127.0.[0..255].[0..255]*-2");

        assertThat(sites).containsExactly(
                new DnsblSite("zen.spamhaus.org", Optional.empty(), 3),
                new DnsblSite("b.barracudacentral.org", Optional.of(ReplyFilter.parse("127.0.0.[2..11]")), 2),
                new DnsblSite("bl.spameatingmonkey.net", Optional.empty(), 2),
                new DnsblSite("list.dnswl.org", Optional.of(ReplyFilter.parse("127.0.[0..255].[0..255]")), -2));
        assertThat(sites).extracting(DnsblSite::toString).containsExactly("zen.spamhaus.org*3",
                "b.barracudacentral.org=127.0.0.[2..11]*2", "bl.spameatingmonkey.net*2",
                "list.dnswl.org=127.0.[0..255].[0..255]*-2");
    }

    @Test
    void weightDefaultsToOne() {
        assertThat(DnsblSite.parse("bl.spamcop.net").weight()).isEqualTo(1);
        assertThat(DnsblSite.parse("bl.spamcop.net=127.0.0.2").weight()).isEqualTo(1);
        assertThat(DnsblSite.parse("bl.spamcop.net*+1").weight()).isEqualTo(1);
        assertThat(DnsblSite.parse("bl.spamcop.net*0").weight()).isZero();
    }

    @Test
    void domainIsCaseInsensitiveAndMayEndInADot() {
        assertThat(DnsblSite.parse("ZEN.Spamhaus.ORG.*3").zone()).isEqualTo("zen.spamhaus.org");
    }

    @Test
    void entriesAreSeparatedByCommasOrWhiteSpace() {
        List<DnsblSite> sites = DnsblSite.parseList("  a.test*2,b.test\n\tc.test=127.0.0.[2;4] ,, d.test\r\n");

        assertThat(sites).extracting(DnsblSite::zone).containsExactly("a.test", "b.test", "c.test", "d.test");
        assertThat(DnsblSite.parseList("")).isEmpty();
        assertThat(DnsblSite.parseAll(List.of("a.test*2, b.test", "c.test"))).hasSize(3);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "zen.spamhaus.org*         | weight \"\" after '*' is not an integer",
        "zen.spamhaus.org*x        | weight \"x\" after '*' is not an integer",
        "zen.spamhaus.org*2*3      | weight \"2*3\"",
        "zen.spamhaus.org*99999999999 | is not an integer",
        "zen.spamhaus.org*4294967296  | out of range",
        "zen.spamhaus.org=         | empty filter",
        "=127.0.0.2                | no DNSBL domain",
        "*3                        | no DNSBL domain",
        "zen..spamhaus.org         | not a domain name",
        "-zen.spamhaus.org         | not a domain name",
        "zen.spam/haus.org         | not a domain name",
        "zen.spamhaus.org=127.0.0  | four fields",
        "zen.spamhaus.org=127.0.0.2.1 | four fields",
        "zen.spamhaus.org=127.0.0.256 | must be a number 0..255",
        "zen.spamhaus.org=127.0.0.x   | must be a number 0..255",
        "zen.spamhaus.org=127.0.0.[5..2] | runs backwards",
        "zen.spamhaus.org=127.0.0.[2..300] | not a range of two numbers 0..255",
        "zen.spamhaus.org=127.0.0.[2;;4] | neither a number 0..255 nor a low..high range",
        "zen.spamhaus.org=127.0.0.[]     | neither a number",
        "zen.spamhaus.org=127.0.0.[2..5  | not one [...] sequence",
        "zen.spamhaus.org=127.0.0.3[6..9] | not one [...] sequence",
        "zen.spamhaus.org=127.0.[0.1]     | four fields",
        "'zen.spamhaus.org=127.0.0.[2,4]' | separate values inside [ ] with ';'",
    })
    void rejectsMalformedEntriesNamingThem(String entry, String reason) {
        assertThatThrownBy(() -> DnsblSite.parseList(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postscreen_dnsbl_sites")
                .hasMessageContaining("\"" + entry + "\"")
                .hasMessageContaining(reason);
    }

    @Test
    void zoneTooLongForAnIpv6QueryIsRejected() {
        String label = "a".repeat(60);
        String zone = String.join(".", label, label, label, "b".repeat(10)); // 193 characters
        assertThatThrownBy(() -> DnsblSite.parse(zone)).hasMessageContaining("too long for IPv6 queries");
    }

    @Test
    void everyBadEntryIsReportedAtOnce() {
        assertThatThrownBy(() -> DnsblSite.parseList("good.test*2, bad.test*x, also.good.test, worse.test=1.2.3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"bad.test*x\"")
                .hasMessageContaining("\"worse.test=1.2.3\"")
                .hasMessageNotContaining("good.test*2");
    }

    @Test
    void withoutAFilterOnlyAnswersIn127Slash8Count() {
        // RFC 5782 §2.1 (listings are 127.0.0.2 and the like, not addresses) and §2.3 (other 127/8 values).
        DnsblSite site = DnsblSite.parse("bl.test*2");

        assertThat(site.matching(List.of(ip("127.0.0.2"), ip("198.51.100.7"), ip("127.255.255.254"))))
                .containsExactly(ip("127.0.0.2"), ip("127.255.255.254"));
        assertThat(site.matching(List.of(ip("198.51.100.7")))).isEmpty();
    }

    @Test
    void withAFilterExactlyTheAnswersItAcceptsCount() {
        DnsblSite site = DnsblSite.parse("bl.test=127.0.0.[2..11]");

        assertThat(site.matching(List.of(ip("127.0.0.1"), ip("127.0.0.2"), ip("127.0.0.11"), ip("127.0.0.12"))))
                .containsExactly(ip("127.0.0.2"), ip("127.0.0.11"));
    }

    /** Property: any text either parses or fails with IllegalArgumentException; what parses prints back the same. */
    @Test
    void randomEntriesParseOrFailCleanlyAndRoundTrip() {
        String[] tokens = {"zen", ".", "test", "=", "*", "-", "+", "1", "2", "127", "255", "256", "0", "[", "]",
            "..", ";", ",", " ", "x", "_", "9999999999", "A"};
        Random random = new Random(0x444e53424cL);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "zen.test" : "");
            int n = random.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(tokens[random.nextInt(tokens.length)]);
            }
            String text = sb.toString();
            List<DnsblSite> sites;
            try {
                sites = DnsblSite.parseList(text);
            } catch (IllegalArgumentException expected) {
                continue;
            }
            parsed++;
            String printed = String.join(" ", sites.stream().map(DnsblSite::toString).toList());
            assertThat(DnsblSite.parseList(printed)).as("round trip of %s", text).isEqualTo(sites);
        }
        assertThat(parsed).isGreaterThan(100);
    }
}
