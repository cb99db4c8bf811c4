package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dmarc.ReportDestinationVerifier.ReportKind;
import io.postbus.auth.psl.TestPsl;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7489 §7.1: verifying external report destinations. */
class ReportDestinationVerifierTest {

    private static List<ReportUri> uris(String... text) {
        return java.util.Arrays.stream(text).map(t -> ReportUri.parse(t).orElseThrow()).toList();
    }

    @Test
    void section7_1_sameOrgDomainNeedsNoCheck_externalNeedsARecord() {
        ZoneFileResolver dns = TestDns.of("example.com._report._dmarc.thirdparty.example TXT v=DMARC1");
        ReportDestinationVerifier v = new ReportDestinationVerifier(dns, TestPsl.list());
        ReportDestinationVerifier.Verified r = v.verify("example.com",
                uris("mailto:d@reports.example.com", "mailto:d@thirdparty.example", "mailto:d@stranger.example"),
                ReportKind.AGGREGATE);
        assertThat(r.authorized()).extracting(u -> u.host().orElseThrow())
                .containsExactly("reports.example.com", "thirdparty.example");
        assertThat(r.refused()).extracting(u -> u.host().orElseThrow()).containsExactly("stranger.example");
        assertThat(r.retryLater()).isEmpty();
    }

    @Test
    void section7_1_step5_recordsNotStartingWithVersionDoNotAuthorize() {
        ZoneFileResolver dns = TestDns.of("example.com._report._dmarc.thirdparty.example TXT p=none; v=DMARC1");
        ReportDestinationVerifier.Verified r = new ReportDestinationVerifier(dns, TestPsl.list())
                .verify("example.com", uris("mailto:d@thirdparty.example"), ReportKind.AGGREGATE);
        assertThat(r.authorized()).isEmpty();
        assertThat(r.refused()).hasSize(1);
    }

    @Test
    void section7_1_step8_overrideOnlyToTheSameHost() {
        ZoneFileResolver dns = TestDns.of("example.com._report._dmarc.thirdparty.example TXT "
                + "v=DMARC1; rua=mailto:other@thirdparty.example!1m, mailto:loop@elsewhere.example; ruf=mailto:f@thirdparty.example");
        ReportDestinationVerifier v = new ReportDestinationVerifier(dns, TestPsl.list());
        ReportDestinationVerifier.Verified agg = v.verify("example.com", uris("mailto:d@thirdparty.example"),
                ReportKind.AGGREGATE);
        assertThat(agg.authorized()).extracting(ReportUri::toString).containsExactly("mailto:other@thirdparty.example!1048576");
        ReportDestinationVerifier.Verified fail = v.verify("example.com", uris("mailto:d@thirdparty.example"),
                ReportKind.FAILURE);
        assertThat(fail.authorized()).extracting(u -> u.mailbox().orElseThrow()).containsExactly("f@thirdparty.example");
    }

    @Test
    void section7_1_step4_dnsFailureMeansRetryLater() {
        ZoneFileResolver dns = TestDns.of("x.example A 192.0.2.1")
                .withFailure("example.com._report._dmarc.thirdparty.example", Kind.TIMEOUT);
        ReportDestinationVerifier.Verified r = new ReportDestinationVerifier(dns, TestPsl.list())
                .verify("example.com", uris("mailto:d@thirdparty.example"), ReportKind.AGGREGATE);
        assertThat(r.retryLater()).hasSize(1);
        assertThat(r.authorized()).isEmpty();
    }
}
