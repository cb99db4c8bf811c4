package io.postbus.core.dns.dnsjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult;
import io.postbus.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class ResultCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private static final DnsResult<List<String>> ANSWER = DnsResult.answer(List.of("v=spf1 -all"));

    @Test
    void entryExpiresExactlyAtItsTtl() {
        ResultCache cache = new ResultCache(clock, 10);
        cache.put("example.com", Type.TXT, ANSWER, Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.<List<String>>get("example.com", Type.TXT)).isEqualTo(ANSWER);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.<List<String>>get("example.com", Type.TXT)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void leastRecentlyUsedGoesFirstWhenFull() {
        ResultCache cache = new ResultCache(clock, 2);
        cache.put("a.example", Type.TXT, ANSWER, Duration.ofMinutes(1));
        cache.put("b.example", Type.TXT, ANSWER, Duration.ofMinutes(1));
        cache.get("a.example", Type.TXT);
        cache.put("c.example", Type.TXT, ANSWER, Duration.ofMinutes(1));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.<List<String>>get("a.example", Type.TXT)).isNotNull();
        assertThat(cache.<List<String>>get("b.example", Type.TXT)).isNull();
        assertThat(cache.<List<String>>get("c.example", Type.TXT)).isNotNull();
    }

    @Test
    void zeroTtlIsNotCached() {
        ResultCache cache = new ResultCache(clock, 10);
        cache.put("example.com", Type.TXT, ANSWER, Duration.ZERO);
        assertThat(cache.size()).isZero();
    }
}
