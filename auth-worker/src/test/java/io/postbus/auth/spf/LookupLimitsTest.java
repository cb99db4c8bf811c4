package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import io.postbus.testkit.MutableClock;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The processing limits of RFC 7208 §4.6.4. */
class LookupLimitsTest {

    static final SuiteZoneResolver ZONE = SuiteZoneResolver.fromYaml("""
            nine.example.com:
              - TXT: v=spf1 a a a a a a a a a ip4:192.0.2.1 -all
              - A: 192.0.2.99
            outer.example.com:
              - TXT: v=spf1 include:nine.example.com -all
            outer2.example.com:
              - TXT: v=spf1 a include:nine.example.com -all
              - A: 192.0.2.98
            redir.example.com:
              - TXT: v=spf1 redirect=nine.example.com
            redir2.example.com:
              - TXT: v=spf1 a redirect=nine.example.com
              - A: 192.0.2.98
            early.example.com:
              - TXT: v=spf1 ip4:192.0.2.1 a a a a a a a a a a a a a a a
            free.example.com:
              - TXT: v=spf1 ip4:10.0.0.1 ip4:10.0.0.2 ip4:10.0.0.3 ip6:2001:db8::1 ip4:10.0.0.4 ip4:10.0.0.5 ip4:10.0.0.6 ip4:10.0.0.7 ip4:10.0.0.8 ip4:10.0.0.9 ip4:10.0.0.10 include:nine.example.com -all
            nodata.example.com:
              - A: 192.0.2.97
            void2.example.com:
              - TXT: v=spf1 a:nx1.example.com mx:nodata.example.com ip4:192.0.2.1 -all
            void3.example.com:
              - TXT: v=spf1 a:nx1.example.com mx:nodata.example.com exists:nx2.example.com ip4:192.0.2.1 -all
            mxhosts.example.com:
              - TXT: v=spf1 mx ip4:192.0.2.1 -all
              - MX: [10, nx-a.example.com]
              - MX: [20, nx-b.example.com]
              - MX: [30, nx-c.example.com]
            mx10.example.com:
              - TXT: v=spf1 mx -all
%1$s            mx11.example.com:
              - TXT: v=spf1 mx -all
%1$s              - MX: [11, h10.example.com]
            h10.example.com:
              - A: 192.0.2.1
            1.2.0.192.in-addr.arpa:
%2$s            n1.example.com:
              - A: 192.0.2.1
            n11.example.com:
              - A: 192.0.2.1
            ptr1.example.com:
              - TXT: v=spf1 ptr:n1.example.com -all
            ptr11.example.com:
              - TXT: v=spf1 ptr:n11.example.com -all
            slow.example.com:
              - TXT: v=spf1 a a a a a a a a a -all
              - A: 192.0.2.99
            slowptr.example.com:
              - TXT: v=spf1 ptr:example.com -all
            """.formatted(listed("MX: [%d, h%d.example.com]", 10), listed("PTR: n%d.example.com", 11)));

    /** YAML list items 1..n from a pattern that takes the number (twice at most). */
    private static String listed(String pattern, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            out.append("              - ").append(String.format(pattern, i, i)).append('\n');
        }
        return out.toString();
    }

    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    static final SpfSettings RFC = SpfSettings.defaults("mx.receiver.example");

    static SpfVerdict check(DnsResolver dns, Clock clock, SpfSettings settings, String domain) throws Exception {
        return new SpfVerifier(dns, clock, settings).checkHost(InetAddress.getByName("192.0.2.1"), domain,
                "user@" + domain, "helo.example.org", SpfIdentity.MAILFROM);
    }

    static SpfVerdict check(String domain) throws Exception {
        return check(ZONE, CLOCK, RFC, domain);
    }

    static SpfSettings limits(int dns, int voids, int names) {
        return new SpfSettings("mx.receiver.example", SpfSettings.DEFAULT_EXPLANATION, dns, voids, names,
                Duration.ofSeconds(20), false);
    }

    /** "SPF implementations MUST limit the total number of those terms to 10", include and redirect levels together. */
    @Test
    void tenDnsTermsAcrossIncludeAndRedirect() throws Exception {
        assertThat(check("nine.example.com").result()).isEqualTo(SpfResult.PASS);
        assertThat(check("outer.example.com").result()).isEqualTo(SpfResult.PASS);     // 1 + 9
        assertThat(check("redir.example.com").result()).isEqualTo(SpfResult.PASS);     // 1 + 9
        SpfVerdict over = check("outer2.example.com");                                  // 2 + 9
        assertThat(over.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(over.reason()).hasValueSatisfying(r -> assertThat(r).contains("more than 10 DNS-querying terms"));
        assertThat(check("redir2.example.com").result()).isEqualTo(SpfResult.PERMERROR); // 1 + 1 + 9
        assertThat(check(ZONE, CLOCK, limits(8, 2, 10), "nine.example.com").result()).isEqualTo(SpfResult.PERMERROR);
    }

    /** Only evaluated terms count, and all, ip4 and ip6 never do. */
    @Test
    void onlyEvaluatedDnsTermsCount() throws Exception {
        assertThat(check("early.example.com").result()).isEqualTo(SpfResult.PASS);
        assertThat(check("free.example.com").result()).isEqualTo(SpfResult.PASS);
    }

    /** "SPF implementations SHOULD limit "void lookups" to two": NXDOMAIN and no-data answers both count. */
    @Test
    void voidLookups() throws Exception {
        assertThat(check("void2.example.com").result()).isEqualTo(SpfResult.PASS);
        SpfVerdict over = check("void3.example.com");
        assertThat(over.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(over.reason()).hasValueSatisfying(r -> assertThat(r).contains("void lookups").contains("exists:"));
        assertThat(check(ZONE, CLOCK, limits(10, 1, 10), "void2.example.com").result()).isEqualTo(SpfResult.PERMERROR);
        // An MX host without addresses is skipped, not counted: the term's own MX query answered.
        assertThat(check("mxhosts.example.com").result()).isEqualTo(SpfResult.PASS);
    }

    /** "the evaluation of each "MX" record MUST NOT result in querying more than 10 address records [...] permerror". */
    @Test
    void tenMxNames() throws Exception {
        assertThat(check("mx10.example.com").result()).isEqualTo(SpfResult.PASS);
        SpfVerdict over = check("mx11.example.com");
        assertThat(over.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(over.reason()).hasValueSatisfying(r -> assertThat(r).contains("11 MX records"));
        assertThat(check(ZONE, CLOCK, limits(10, 2, 9), "mx10.example.com").result()).isEqualTo(SpfResult.PERMERROR);
    }

    /** For PTR, "all records other than the first 10 MUST be ignored": no error, the 11th just never matches. */
    @Test
    void tenPtrNames() throws Exception {
        assertThat(check("ptr1.example.com").result()).isEqualTo(SpfResult.PASS);
        SpfVerdict eleventh = check("ptr11.example.com");
        assertThat(eleventh.result()).isEqualTo(SpfResult.FAIL);
        assertThat(eleventh.mechanism()).contains("-all");
        assertThat(check(ZONE, CLOCK, limits(10, 2, 11), "ptr11.example.com").result()).isEqualTo(SpfResult.PASS);
    }

    /** "MTAs [...] SHOULD impose a limit on the maximum amount of elapsed time [...] the result [...] SHOULD be temperror". */
    @Test
    void timeBudget() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
        DnsResolver slow = new SlowResolver(ZONE, clock, Duration.ofSeconds(3));
        SpfVerdict late = check(slow, clock, RFC, "slow.example.com"); // the 8th query would start at 21 s
        assertThat(late.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(late.reason()).hasValueSatisfying(r -> assertThat(r).contains("time budget"));
        assertThat(check(slow, clock, RFC.withTimeBudget(Duration.ofSeconds(60)), "slow.example.com").result())
                .isEqualTo(SpfResult.FAIL);
        // A ptr term skips names whose lookup fails; if it failed for lack of time, "no match" is not known.
        SpfVerdict ptr = check(slow, clock, RFC.withTimeBudget(Duration.ofSeconds(5)), "slowptr.example.com");
        assertThat(ptr.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(check(slow, clock, RFC.withTimeBudget(Duration.ofSeconds(60)), "slowptr.example.com").result())
                .isEqualTo(SpfResult.PASS);
    }

    /** The zone's answers, each taking {@code delay} of the clock's time. */
    record SlowResolver(DnsResolver zone, MutableClock clock, Duration delay) implements DnsResolver {
        private <T> T slowly(Supplier<T> answer) {
            clock.advance(delay);
            return answer.get();
        }

        @Override
        public DnsResult<List<String>> txt(String name) {
            return slowly(() -> zone.txt(name));
        }

        @Override
        public DnsResult<List<MxRecord>> mx(String name) {
            return slowly(() -> zone.mx(name));
        }

        @Override
        public DnsResult<List<InetAddress>> a(String name) {
            return slowly(() -> zone.a(name));
        }

        @Override
        public DnsResult<List<InetAddress>> aaaa(String name) {
            return slowly(() -> zone.aaaa(name));
        }

        @Override
        public DnsResult<List<String>> ptr(InetAddress address) {
            return slowly(() -> zone.ptr(address));
        }
    }
}
