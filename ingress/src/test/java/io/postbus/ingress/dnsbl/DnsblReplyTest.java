package io.postbus.ingress.dnsbl;

import static io.postbus.ingress.dnsbl.TestZones.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.dnsbl.DnsblVerdict.Decision;
import io.postbus.ingress.dnsbl.DnsblVerdict.Listing;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The 554 reply for a rejected client, worded as Postfix's. Verdicts are built by hand: no DNS here. */
class DnsblReplyTest {

    private static Listing listing(String site) {
        return new Listing(DnsblSite.parse(site), "query", List.of(ip("127.0.0.2")));
    }

    private static DnsblVerdict verdict(InetAddress client, int threshold, Listing... listings) {
        int score = List.of(listings).stream().mapToInt(l -> l.site().weight()).sum();
        Decision d = score >= threshold ? Decision.REJECT : Decision.PASS;
        return new DnsblVerdict(client, score, threshold, d, List.of(listings), List.of());
    }

    @Test
    void rejectionNamesTheClientAndTheList() {
        DnsblReply reply = DnsblReply.forVerdict(verdict(ip("192.0.2.10"), 3, listing("zen.spamhaus.org*3")))
                .orElseThrow();

        assertThat(reply.code()).isEqualTo(554);
        assertThat(reply.enhancedStatus()).isEqualTo("5.7.1");
        assertThat(reply.text()).isEqualTo("Service unavailable; client [192.0.2.10] blocked using zen.spamhaus.org");
    }

    @Test
    void passingVerdictHasNoReply() {
        assertThat(DnsblReply.forVerdict(verdict(ip("192.0.2.10"), 3, listing("sem.test*2")))).isEmpty();
    }

    @Test
    void namesTheFirstBlocklistNotAnAllowlist() {
        DnsblVerdict v = verdict(ip("192.0.2.10"), 3,
                listing("dnswl.test*-1"), listing("sem.test*2"), listing("zen.test*3"));

        assertThat(DnsblReply.forVerdict(v).orElseThrow().text()).endsWith("blocked using sem.test");
    }

    @Test
    void replyMapHidesASecretInTheZoneName() {
        // postscreen_dnsbl_reply_map: a DQS-style zone carries the customer key.
        DnsblVerdict v = verdict(ip("192.0.2.10"), 1, listing("k3y5ecret.zen.dq.spamhaus.net*3"));

        DnsblReply reply = DnsblReply.forVerdict(v, Map.of("K3Y5ECRET.zen.dq.spamhaus.net.", "zen.spamhaus.org"))
                .orElseThrow();

        assertThat(reply.text()).endsWith("blocked using zen.spamhaus.org").doesNotContain("k3y5ecret");
    }

    @Test
    void ipv6ClientIsWrittenInCanonicalForm() {
        DnsblVerdict v = verdict(ip("2001:0db8:0000:0000:0000:0000:0000:0025"), 1, listing("zen.test"));

        assertThat(DnsblReply.forVerdict(v).orElseThrow().text()).contains("client [2001:db8::25] blocked");
    }

    @ParameterizedTest
    @CsvSource({
        "2001:db8:0:0:0:0:0:25, 2001:db8::25",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:1, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "::ffff:192.0.2.1, 192.0.2.1",
    })
    void addressesAreWrittenAsRfc5952Says(String address, String expected) {
        // RFC 5952 §4: no leading zeros, longest zero run (first on a tie, not a single group) as "::", lower case.
        assertThat(DnsblReply.addressText(ip(address))).isEqualTo(expected);
    }

    @Test
    void replyTextCannotCarryALineBreak() {
        assertThatThrownBy(() -> new DnsblReply(554, "5.7.1", "blocked\r\n250 OK"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
