package io.postbus.delivery.mtasts;

import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The discovery flow of RFC 8461 §3.3 and §5.1 with zone-file DNS, a counting fetcher and a test clock. */
class MtaStsTest {

    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
    private static final String POLICY_2 = "version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 86400\n";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final StsPolicyCache cache = new StsPolicyCache(clock, 100, Duration.ofMinutes(5));
    private final List<String> fetches = new ArrayList<>();
    private StsPolicyFetcher.Result next = new StsPolicyFetcher.Result.Body(POLICY);

    private final StsPolicyFetcher fetcher = domain -> {
        fetches.add(domain);
        return next;
    };

    private static ZoneFileResolver zone(String txt) {
        return ZoneFileResolver.fromString("example.test.", "$TTL 300\n@ SOA ns hostmaster 1 1 1 1 1\n"
                + (txt == null ? "" : "_mta-sts TXT \"" + txt + "\"\n"));
    }

    @Test
    void rfc8461Section33FetchedThenServedFromTheCacheWhileTheIdIsUnchanged() {
        MtaSts sts = new MtaSts(zone("v=STSv1; id=one;"), fetcher, cache);
        StsDecision first = sts.lookup("example.test");
        assertThat(first).isInstanceOf(StsDecision.Applies.class);
        assertThat(((StsDecision.Applies) first).origin()).isEqualTo(StsDecision.Origin.FETCHED);
        assertThat(((StsDecision.Applies) first).policy().mode()).isEqualTo(StsPolicy.Mode.ENFORCE);

        clock.advance(Duration.ofHours(1));
        StsDecision second = sts.lookup("Example.Test.");
        assertThat(((StsDecision.Applies) second).origin()).isEqualTo(StsDecision.Origin.CACHED);
        assertThat(fetches).as("a cache hit does not fetch").containsExactly("example.test");
    }

    @Test
    void rfc8461Section33ANewTxtIdTriggersARefetch() {
        new MtaSts(zone("v=STSv1; id=one;"), fetcher, cache).lookup("example.test");
        next = new StsPolicyFetcher.Result.Body(POLICY_2);
        StsDecision d = new MtaSts(zone("v=STSv1; id=two;"), fetcher, cache).lookup("example.test");
        assertThat(fetches).hasSize(2);
        assertThat(((StsDecision.Applies) d).id()).isEqualTo("two");
        assertThat(((StsDecision.Applies) d).policy().mode()).isEqualTo(StsPolicy.Mode.TESTING);
    }

    @Test
    void rfc8461Section33MaxAgeEndsTheCachedPolicy() {
        MtaSts sts = new MtaSts(zone("v=STSv1; id=one;"), fetcher, cache);
        sts.lookup("example.test");
        clock.advance(Duration.ofSeconds(86400));
        StsDecision d = sts.lookup("example.test");
        assertThat(((StsDecision.Applies) d).origin()).isEqualTo(StsDecision.Origin.FETCHED);
        assertThat(fetches).hasSize(2);
    }

    @Test
    void rfc8461Section51AFailedRefetchKeepsTheCachedPolicyInForce() {
        new MtaSts(zone("v=STSv1; id=one;"), fetcher, cache).lookup("example.test");
        next = new StsPolicyFetcher.Result.Failed("connection refused");
        StsDecision d = new MtaSts(zone("v=STSv1; id=two;"), fetcher, cache).lookup("example.test");
        assertThat(d).isInstanceOf(StsDecision.Applies.class);
        StsDecision.Applies a = (StsDecision.Applies) d;
        assertThat(a.origin()).isEqualTo(StsDecision.Origin.CACHED_REFRESH_FAILED);
        assertThat(a.id()).isEqualTo("one");
        assertThat(a.note()).contains("connection refused");
    }

    @Test
    void rfc8461Section51AnInvalidNewPolicyAlsoKeepsTheCachedOne() {
        new MtaSts(zone("v=STSv1; id=one;"), fetcher, cache).lookup("example.test");
        next = new StsPolicyFetcher.Result.Body("<html>maintenance</html>");
        StsDecision d = new MtaSts(zone("v=STSv1; id=two;"), fetcher, cache).lookup("example.test");
        assertThat(((StsDecision.Applies) d).policy().mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
    }

    @Test
    void rfc8461Section51AVanishedTxtRecordKeepsTheCachedPolicyUntilItExpires() {
        new MtaSts(zone("v=STSv1; id=one;"), fetcher, cache).lookup("example.test");
        MtaSts withoutRecord = new MtaSts(zone(null), fetcher, cache);
        assertThat(withoutRecord.lookup("example.test")).isInstanceOf(StsDecision.Applies.class);
        clock.advance(Duration.ofDays(2));
        assertThat(withoutRecord.lookup("example.test")).isInstanceOf(StsDecision.NoPolicy.class);
        assertThat(fetches).hasSize(1);
    }

    @Test
    void rfc8461Section33AFailedFetchWithNothingCachedMeansNoPolicyAndIsNotRepeatedAtOnce() {
        next = new StsPolicyFetcher.Result.Failed("HTTP status 404");
        MtaSts sts = new MtaSts(zone("v=STSv1; id=one;"), fetcher, cache);
        assertThat(sts.lookup("example.test")).isInstanceOf(StsDecision.NoPolicy.class);
        assertThat(sts.lookup("example.test")).isInstanceOf(StsDecision.NoPolicy.class);
        assertThat(fetches).hasSize(1);
        clock.advance(Duration.ofMinutes(5));
        sts.lookup("example.test");
        assertThat(fetches).hasSize(2);
    }

    @Test
    void noTxtRecordMeansNoPolicyAndNoFetch() {
        assertThat(new MtaSts(zone(null), fetcher, cache).lookup("example.test"))
                .isInstanceOf(StsDecision.NoPolicy.class);
        assertThat(new MtaSts(zone(null).withFailure("_mta-sts.example.test", DnsResult.Failure.Kind.SERVFAIL), fetcher,
                cache).lookup("example.test").note()).contains("SERVFAIL");
        assertThat(fetches).isEmpty();
    }
}
