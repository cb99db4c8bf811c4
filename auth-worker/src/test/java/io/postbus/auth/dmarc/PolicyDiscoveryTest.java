package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.psl.TestPsl;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import org.junit.jupiter.api.Test;

/** RFC 7489 §6.6.3 policy discovery, on zone-file DNS. */
class PolicyDiscoveryTest {

    private static PolicyDiscovery.Result discover(ZoneFileResolver dns, String author) {
        return new PolicyDiscovery(dns, TestPsl.list()).discover(author);
    }

    @Test
    void step1_recordAtTheAuthorDomain() {
        ZoneFileResolver dns = TestDns.of(
                "_dmarc.mail.example.com TXT v=DMARC1; p=quarantine",
                "_dmarc.example.com TXT v=DMARC1; p=reject");
        assertThat(discover(dns, "mail.example.com")).isInstanceOfSatisfying(PolicyDiscovery.Found.class, f -> {
            assertThat(f.policyDomain()).isEqualTo("mail.example.com");
            assertThat(f.atAuthorDomain()).isTrue();
            assertThat(f.record().p()).isEqualTo(DmarcPolicy.QUARANTINE);
        });
    }

    @Test
    void step3_fallsBackToTheOrganizationalDomain() {
        ZoneFileResolver dns = TestDns.of("_dmarc.example.co.uk TXT v=DMARC1; p=reject; sp=none");
        assertThat(discover(dns, "a.b.example.co.uk")).isInstanceOfSatisfying(PolicyDiscovery.Found.class, f -> {
            assertThat(f.policyDomain()).isEqualTo("example.co.uk");
            assertThat(f.atAuthorDomain()).isFalse();
        });
    }

    @Test
    void step2_otherTxtRecordsAreDiscarded() {
        ZoneFileResolver dns = TestDns.of(
                "_dmarc.example.com TXT some-verification=abc",
                "_dmarc.example.com TXT v=DMARC1; p=reject");
        assertThat(discover(dns, "example.com")).isInstanceOf(PolicyDiscovery.Found.class);
    }

    @Test
    void step2_onlyOtherTxtRecordsAtTheAuthorDomainMeansGoOnToTheOrgDomain() {
        ZoneFileResolver dns = TestDns.of(
                "_dmarc.sub.example.com TXT v=spf1 -all",
                "_dmarc.example.com TXT v=DMARC1; p=reject");
        assertThat(discover(dns, "sub.example.com")).isInstanceOfSatisfying(PolicyDiscovery.Found.class,
                f -> assertThat(f.policyDomain()).isEqualTo("example.com"));
    }

    @Test
    void step5_multipleRecordsMeanNoPolicyAndNoFallback() {
        ZoneFileResolver dns = TestDns.of(
                "_dmarc.sub.example.com TXT v=DMARC1; p=none",
                "_dmarc.sub.example.com TXT v=DMARC1; p=reject",
                "_dmarc.example.com TXT v=DMARC1; p=reject");
        assertThat(discover(dns, "sub.example.com")).isInstanceOfSatisfying(PolicyDiscovery.NotFound.class,
                n -> assertThat(n.reason()).contains("2 DMARC records"));
    }

    @Test
    void step5_noRecordAnywhere() {
        ZoneFileResolver dns = TestDns.of("example.com A 192.0.2.1");
        assertThat(discover(dns, "www.example.com")).isInstanceOf(PolicyDiscovery.NotFound.class);
        assertThat(discover(dns, "example.com")).isInstanceOf(PolicyDiscovery.NotFound.class);
    }

    @Test
    void publicSuffixAuthorDomainHasNoOrgDomainToAsk() {
        ZoneFileResolver dns = TestDns.of("_dmarc.co.uk TXT v=DMARC1; p=reject");
        assertThat(discover(dns, "co.uk")).isInstanceOf(PolicyDiscovery.Found.class);
        assertThat(discover(dns, "com")).isInstanceOfSatisfying(PolicyDiscovery.NotFound.class,
                n -> assertThat(n.reason()).contains("public suffix"));
    }

    @Test
    void invalidRecordIsAPermError() {
        ZoneFileResolver dns = TestDns.of("_dmarc.example.com TXT v=DMARC1; p=reject; adkim=x");
        assertThat(discover(dns, "www.example.com")).isInstanceOfSatisfying(PolicyDiscovery.PermError.class,
                p -> assertThat(p.policyDomain()).isEqualTo("example.com"));
    }

    @Test
    void dnsFailureIsATempErrorAtEitherStep() {
        ZoneFileResolver dns = TestDns.of("_dmarc.example.com TXT v=DMARC1; p=reject")
                .withFailure("_dmarc.sub.example.com", Kind.TIMEOUT);
        assertThat(discover(dns, "sub.example.com")).isInstanceOfSatisfying(PolicyDiscovery.TempError.class,
                t -> assertThat(t.reason()).contains("TIMEOUT").contains("_dmarc.sub.example.com"));
        ZoneFileResolver orgFails = TestDns.of("sub.example.org A 192.0.2.1")
                .withFailure("_dmarc.example.org", Kind.SERVFAIL);
        assertThat(discover(orgFails, "sub.example.org")).isInstanceOf(PolicyDiscovery.TempError.class);
    }
}
