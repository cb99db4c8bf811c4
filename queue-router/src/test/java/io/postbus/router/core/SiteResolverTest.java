package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.testkit.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Sites from MX records (RFC 5321 §5.1: the best preference takes the traffic; implicit MX when there
 * are none), configured MX patterns and domains, and the fallbacks that never hold up routing: null MX
 * (RFC 7505), NXDOMAIN and failed lookups name the site after the domain.
 */
class SiteResolverTest {
    private static final String ZONE = """
            $TTL 300
            .                              SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300
            ; two customers of one small provider, MX listed in different orders
            shop.example.                  MX 10 mx2.hoster.example.
            shop.example.                  MX 10 mx1.hoster.example.
            blog.example.                  MX 10 MX1.Hoster.Example.
            blog.example.                  MX 10 mx2.hoster.example.
            ; the same primaries, and the customer's own backup: still the provider's site
            club.example.                  MX 10 mx1.hoster.example.
            club.example.                  MX 10 mx2.hoster.example.
            club.example.                  MX 50 backup.club.example.
            ; Google: one primary, alternates at worse preferences
            gmail.example.                 MX 5 gmail-smtp-in.l.google.com.
            gmail.example.                 MX 10 alt1.gmail-smtp-in.l.google.com.
            workspace.example.             MX 1 aspmx.l.google.com.
            workspace.example.             MX 5 alt1.aspmx.l.google.com.
            newstyle.example.              MX 1 smtp.google.com.
            ; Outlook: each tenant its own MX name
            contoso.example.               MX 0 contoso-example.mail.protection.outlook.com.
            fabrikam.example.              MX 0 fabrikam-example.mail.protection.outlook.com.
            ; no MX at all: implicit MX
            plain.example.                 A 192.0.2.10
            mail.hoster.example.           A 192.0.2.11
            ; RFC 7505 null MX
            nomail.example.                MX 0 .
            """;
    private static final ZoneFileResolver DNS = ZoneFileResolver.fromString(".", ZONE);
    private static final SiteTable GOOGLE_AND_OUTLOOK = SiteTable.parse(List.of(
            "google:mx=*.google.com", "outlook:mx=*.mail.protection.outlook.com", "hoster:mx=mail.hoster.example"));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private Site site(SiteTable table, DnsResolver dns, String domain) {
        return new SiteResolver(table, dns, clock).siteOf(DeliveryRoute.mx(domain));
    }

    private Site site(String domain) {
        return site(SiteTable.empty(), DNS, domain);
    }

    @Test
    void twoDomainsWithTheSameMxHostsShareASiteWhateverTheOrderDnsAnsweredIn() {
        Site shop = site("shop.example");
        assertThat(shop).isEqualTo(new Site("mx1.hoster.example_mx2.hoster.example", Site.Basis.MX_HOSTS));
        assertThat(site("blog.example")).as("case and order of equal preferences do not matter").isEqualTo(shop);
        assertThat(shop.dedicated()).isFalse();
        assertThat(shop.topicSite()).isEqualTo("default");
    }

    @Test
    void onlyTheBestPreferenceNamesTheSite() {
        // RFC 5321 §5.1: the lowest preference is tried first; a backup MX takes no traffic normally.
        assertThat(site("club.example")).isEqualTo(site("shop.example"));
        assertThat(site("workspace.example").name()).isEqualTo("aspmx.l.google.com");
    }

    @Test
    void equalPreferenceOrderNeverChangesTheName() {
        DnsResolver reversed = answering(List.of(new MxRecord(10, "b.mx.example"), new MxRecord(10, "a.mx.example")));
        DnsResolver forward = answering(List.of(new MxRecord(10, "a.mx.example"), new MxRecord(10, "b.mx.example")));
        assertThat(site(SiteTable.empty(), reversed, "x.example")).isEqualTo(site(SiteTable.empty(), forward, "x.example"))
                .extracting(Site::name).isEqualTo("a.mx.example_b.mx.example");
    }

    @Test
    void aGooglePatternGroupsEveryGoogleMxIntoOneConfiguredSite() {
        for (String domain : List.of("gmail.example", "workspace.example", "newstyle.example")) {
            assertThat(site(GOOGLE_AND_OUTLOOK, DNS, domain)).as(domain)
                    .isEqualTo(new Site("google", Site.Basis.CONFIGURED_MX));
        }
        assertThat(site(GOOGLE_AND_OUTLOOK, DNS, "gmail.example").topicSite()).isEqualTo("google");
    }

    @Test
    void outlookTenantsWithTheirOwnMxNamesAreGroupedByPattern() {
        assertThat(site("contoso.example")).as("without a pattern every tenant is its own site")
                .isNotEqualTo(site("fabrikam.example"));
        assertThat(site(GOOGLE_AND_OUTLOOK, DNS, "contoso.example")).isEqualTo(site(GOOGLE_AND_OUTLOOK, DNS, "fabrikam.example"))
                .isEqualTo(new Site("outlook", Site.Basis.CONFIGURED_MX));
    }

    @Test
    void aConfiguredDomainWinsOverPatternsAndNeedsNoDns() {
        SiteTable table = SiteTable.parse(List.of("gmail:gmail.example", "google:mx=*.google.com"));
        DnsResolver broken = DNS.withFailure("gmail.example", DnsResult.Failure.Kind.TIMEOUT);
        assertThat(site(table, broken, "Gmail.Example")).isEqualTo(new Site("gmail", Site.Basis.CONFIGURED_DOMAIN));
        assertThat(site(table, DNS, "workspace.example")).isEqualTo(new Site("google", Site.Basis.CONFIGURED_MX));
    }

    @Test
    void implicitMxIsTheDomainItselfAndPatternsApplyToIt() {
        // RFC 5321 §5.1: no MX records → the domain is the host.
        assertThat(site("plain.example")).isEqualTo(new Site("plain.example", Site.Basis.IMPLICIT_MX));
        assertThat(site(GOOGLE_AND_OUTLOOK, DNS, "mail.hoster.example")).isEqualTo(new Site("hoster", Site.Basis.CONFIGURED_MX));
    }

    @Test
    void nullMxAndNxdomainFallBackToTheDomain() {
        // RFC 7505 §3: "0 ." — delivery bounces it; routing just needs a site.
        assertThat(site("nomail.example")).isEqualTo(new Site("nomail.example", Site.Basis.NULL_MX));
        assertThat(site("nowhere.example")).isEqualTo(new Site("nowhere.example", Site.Basis.NO_SUCH_DOMAIN));
    }

    @Test
    void aFailedLookupFallsBackToTheDomainAndIsRememberedBriefly() {
        for (DnsResult.Failure.Kind kind : List.of(DnsResult.Failure.Kind.SERVFAIL, DnsResult.Failure.Kind.TIMEOUT)) {
            assertThat(site(SiteTable.empty(), DNS.withFailure("shop.example", kind), "shop.example"))
                    .as(kind.name()).isEqualTo(new Site("shop.example", Site.Basis.DNS_FAILURE));
        }
        AtomicInteger asked = new AtomicInteger();
        DnsResolver failing = counting(DNS.withFailure("shop.example", DnsResult.Failure.Kind.TIMEOUT), asked);
        SiteResolver sites = new SiteResolver(SiteTable.empty(), failing, clock, Duration.ofMinutes(1), 100);
        sites.siteOf(DeliveryRoute.mx("shop.example"));
        sites.siteOf(DeliveryRoute.mx("shop.example"));
        assertThat(asked).as("one timeout per minute, not one per message").hasValue(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(sites.siteOf(DeliveryRoute.mx("shop.example")).basis()).isEqualTo(Site.Basis.DNS_FAILURE);
        assertThat(asked).as("asked again once the memory expired").hasValue(2);
    }

    @Test
    void theFailureMemoryIsBounded() {
        DnsResolver failing = ZoneFileResolver.fromString("zone.invalid.", "").withOutOfZone(ZoneFileResolver.OutOfZone.SERVFAIL);
        SiteResolver sites = new SiteResolver(SiteTable.empty(), failing, clock, Duration.ofMinutes(1), 3);
        for (int i = 0; i < 10; i++) {
            assertThat(sites.siteOf(DeliveryRoute.mx("d" + i + ".example")).basis()).isEqualTo(Site.Basis.DNS_FAILURE);
        }
        assertThat(sites.remembered()).isEqualTo(3);
    }

    @Test
    void nextHopsNameTheirOwnSitesWithoutDns() {
        SiteResolver sites = new SiteResolver(GOOGLE_AND_OUTLOOK, DNS.withOutOfZone(ZoneFileResolver.OutOfZone.TIMEOUT), clock);
        assertThat(sites.siteOf(new DeliveryRoute(Transport.SMTP, "[10.0.0.1]:2525", "gmail.example")))
                .isEqualTo(new Site("10.0.0.1_2525", Site.Basis.NEXT_HOP));
        assertThat(sites.siteOf(new DeliveryRoute(Transport.SMTP, "smtp.isp.example", "x.example")).name()).isEqualTo("smtp.isp.example");
        assertThat(sites.siteOf(new DeliveryRoute(Transport.SMTP, "[Relay.Example.]", "x.example")).name()).isEqualTo("relay.example");
        assertThat(sites.siteOf(new DeliveryRoute(Transport.LMTP, "[127.0.0.1]:24", "example.com")))
                .as("an LMTP server is not the SMTP relay on the same host").isEqualTo(new Site("lmtp_127.0.0.1_24", Site.Basis.NEXT_HOP));
        assertThat(sites.siteOf(new DeliveryRoute(Transport.SMTP, "[ipv6:2001:db8::1]:25", "x.example")).name())
                .isEqualTo("ipv6_2001_db8__1_25");
        assertThat(sites.siteOf(new DeliveryRoute(Transport.MAILDIR, "/var/mail/joe/", "example.com")))
                .isEqualTo(new Site("maildir", Site.Basis.LOCAL_MAILBOX));
        assertThat(sites.siteOf(DeliveryRoute.mx("[192.0.2.7]")))
                .as("RFC 5321 §4.1.3 address literal: no lookup").isEqualTo(new Site("192.0.2.7", Site.Basis.ADDRESS_LITERAL));
    }

    @Test
    void withoutDnsAnUnconfiguredDomainIsItsOwnSite() {
        SiteResolver sites = SiteResolver.withoutDns(SiteTable.parse(List.of("gmail:gmail.com")));
        assertThat(sites.siteOf(DeliveryRoute.mx("gmail.com"))).isEqualTo(new Site("gmail", Site.Basis.CONFIGURED_DOMAIN));
        assertThat(sites.siteOf(DeliveryRoute.mx("Example.ORG"))).isEqualTo(new Site("example.org", Site.Basis.NOT_LOOKED_UP));
    }

    @Test
    void aHugeMxSetStillGetsAValidBoundedName() {
        List<MxRecord> many = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(new MxRecord(10, "mx" + i + ".a-rather-long-provider-name.example"));
        }
        Site s = site(SiteTable.empty(), answering(many), "big.example");
        assertThat(s.name()).hasSizeLessThanOrEqualTo(Site.MAX_NAME_LENGTH).isEqualTo("mx0.a-rather-long-provider-name.example_20-hosts");
    }

    /** A resolver that answers every MX question with these records. */
    private static DnsResolver answering(List<MxRecord> records) {
        return new Delegating(DNS) {
            @Override
            public DnsResult<List<MxRecord>> mx(String name) {
                return DnsResult.answer(records);
            }
        };
    }

    private static DnsResolver counting(DnsResolver dns, AtomicInteger asked) {
        return new Delegating(dns) {
            @Override
            public DnsResult<List<MxRecord>> mx(String name) {
                asked.incrementAndGet();
                return super.mx(name);
            }
        };
    }

    private static class Delegating implements DnsResolver {
        private final DnsResolver dns;

        Delegating(DnsResolver dns) {
            this.dns = dns;
        }

        @Override
        public DnsResult<List<String>> txt(String name) {
            return dns.txt(name);
        }

        @Override
        public DnsResult<List<MxRecord>> mx(String name) {
            return dns.mx(name);
        }

        @Override
        public DnsResult<List<InetAddress>> a(String name) {
            return dns.a(name);
        }

        @Override
        public DnsResult<List<InetAddress>> aaaa(String name) {
            return dns.aaaa(name);
        }

        @Override
        public DnsResult<List<String>> ptr(InetAddress address) {
            return dns.ptr(address);
        }
    }
}
