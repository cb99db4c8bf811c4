package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.auth.AuthFailureLimiter.Decision;
import io.postbus.testkit.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** RFC 4954 §9 lets servers limit failed attempts; ours is a per-address token bucket. */
class AuthFailureLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AuthFailureLimiter limiter = new AuthFailureLimiter(clock, 3, Duration.ofSeconds(60), 100);

    @Test
    void allowsABurstThenOneAttemptPerInterval() throws Exception {
        InetAddress ip = ip("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.check(ip).allowed()).isTrue();
            limiter.recordFailure(ip);
        }
        assertThat(limiter.check(ip)).isEqualTo(new Decision(false, Duration.ofSeconds(60)));
        clock.advance(Duration.ofSeconds(45));
        assertThat(limiter.check(ip)).isEqualTo(new Decision(false, Duration.ofSeconds(15)));
        clock.advance(Duration.ofSeconds(15));
        assertThat(limiter.check(ip).allowed()).isTrue();
        limiter.recordFailure(ip);
        assertThat(limiter.check(ip)).isEqualTo(new Decision(false, Duration.ofSeconds(60)));
    }

    @Test
    void otherAddressesAreUnaffected() {
        InetAddress attacker = ip("192.0.2.1");
        for (int i = 0; i < 10; i++) {
            limiter.recordFailure(attacker);
        }
        assertThat(limiter.check(attacker).allowed()).isFalse();
        assertThat(limiter.check(ip("192.0.2.2")).allowed()).isTrue();
        assertThat(limiter.check(ip("2001:db8::1")).allowed()).isTrue();
    }

    @Test
    void failuresBeyondTheBurstAreDebtSoParallelConnectionsGainNothing() {
        InetAddress ip = ip("192.0.2.1");
        for (int i = 0; i < 5; i++) { // five connections that all passed check() fail together
            limiter.recordFailure(ip);
        }
        assertThat(limiter.check(ip).retryAfter()).isEqualTo(Duration.ofSeconds(180));
    }

    @Test
    void ipv6IsCountedPerSlash64() {
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure(ip("2001:db8:1:2::" + (i + 1)));
        }
        assertThat(limiter.check(ip("2001:db8:1:2:ffff::9")).allowed()).as("same /64").isFalse();
        assertThat(limiter.check(ip("2001:db8:1:3::1")).allowed()).as("next /64").isTrue();
    }

    @Test
    void forgetsForgivenAddressesAndBoundsMemory() {
        InetAddress ip = ip("192.0.2.1");
        limiter.recordFailure(ip);
        clock.advance(Duration.ofSeconds(60));
        assertThat(limiter.check(ip).allowed()).isTrue();
        assertThat(limiter.trackedClients()).isZero();

        for (int i = 0; i < 250; i++) {
            limiter.recordFailure(ip("10.0." + (i / 256) + "." + (i % 256)));
        }
        assertThat(limiter.trackedClients()).isEqualTo(100);
    }

    @Test
    void aClockGoingBackwardsForgivesNothing() {
        InetAddress ip = ip("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure(ip);
        }
        clock.advance(Duration.ofHours(-1));
        assertThat(limiter.check(ip).allowed()).isFalse();
    }

    @Test
    void countsEveryFailureUnderConcurrency() throws Exception {
        AuthFailureLimiter big = new AuthFailureLimiter(clock, 1000, Duration.ofHours(1), 10);
        InetAddress ip = ip("192.0.2.1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 125; i++) {
                    big.recordFailure(ip);
                    big.check(ip);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(big.check(ip)).isEqualTo(new Decision(false, Duration.ofHours(1)));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
