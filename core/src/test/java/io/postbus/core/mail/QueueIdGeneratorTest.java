package io.postbus.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Postfix long queue ids (mail_queue.h, {@code enable_long_queue_ids}): 6 base-52 digits of
 * seconds, 4 of microseconds, {@code z}, then a base-51 suffix (here the node number).
 */
class QueueIdGeneratorTest {
    /** Digits and consonants, as Postfix's safe alphabet; the suffix alphabet leaves out 'z'. */
    private static final Pattern LONG_FORM =
            Pattern.compile("[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10}z[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-y]+");
    private static final Instant T = Instant.parse("2023-11-14T22:13:20.123456Z"); // epoch second 1700000000

    /** Expected values worked out by hand from the Postfix encoding, independently of the class. */
    @ParameterizedTest
    @CsvSource({
            "2023-11-14T22:13:20.123456Z, 7, 4SVLCh0sf8z7",
            "2023-11-14T22:13:20.000051Z, 0, 4SVLCh000zz0",
            "1970-01-01T00:00:01Z, 0, 0000010000z0",
            "2025-06-01T12:00:00.999999Z, 51, 4b9FsD75plz10",
            "2038-01-19T03:14:08Z, 2147483647, 5dhqkS0000z6CPxgT"})
    void formatMatchesPostfixLongQueueIds(String instant, int node, String expected) {
        String id = new QueueIdGenerator(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), node).next();
        assertThat(id).isEqualTo(expected).matches(LONG_FORM);
        assertThat(QueueIdGenerator.isValid(id)).isTrue();
        assertThat(QueueIdGenerator.timeOf(id)).isEqualTo(Instant.parse(instant));
    }

    @Test
    void idsOfOneGeneratorStrictlyIncreaseAndSortByTextWhenTheClockStandsStill() {
        QueueIdGenerator gen = new QueueIdGenerator(Clock.fixed(T, ZoneOffset.UTC), 3);
        String previous = gen.next();
        for (int i = 1; i < 5000; i++) {
            String id = gen.next();
            assertThat(id).matches(LONG_FORM);
            assertThat(id.compareTo(previous)).as("%s after %s", id, previous).isPositive();
            assertThat(QueueIdGenerator.timeOf(id)).isEqualTo(T.plusNanos(1000L * i));
            previous = id;
        }
    }

    @Test
    void idsKeepIncreasingWhenTheClockGoesBackAndFollowItWhenItCatchesUp() {
        MutableClock clock = new MutableClock(T);
        QueueIdGenerator gen = new QueueIdGenerator(clock, 1);
        List<String> ids = new ArrayList<>();
        ids.add(gen.next());
        clock.set(T.minus(Duration.ofSeconds(30))); // NTP step back
        ids.add(gen.next());
        ids.add(gen.next());
        clock.set(T.plus(Duration.ofSeconds(2)));
        ids.add(gen.next());

        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(QueueIdGenerator.timeOf(ids.get(1))).isEqualTo(T.plusNanos(1000));
        assertThat(QueueIdGenerator.timeOf(ids.get(3))).isEqualTo(T.plus(Duration.ofSeconds(2)));
    }

    @Test
    void idsSortByTimeAcrossSecondAndDigitBoundaries() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
        QueueIdGenerator gen = new QueueIdGenerator(clock, 0);
        Random random = new Random(11);
        String previous = gen.next();
        for (int i = 0; i < 20_000; i++) {
            clock.set(clock.instant().plusNanos(1000L * (1 + random.nextInt(200_000))));
            String id = gen.next();
            assertThat(id.compareTo(previous)).isPositive();
            previous = id;
        }
    }

    @Test
    void nodesNeverProduceTheSameIdEvenAtTheSameMicrosecond() {
        Clock fixed = Clock.fixed(T, ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        for (int node : new int[] {0, 1, 2, 50, 51, 52, 2601, 2602, Integer.MAX_VALUE}) {
            QueueIdGenerator gen = new QueueIdGenerator(fixed, node);
            for (int i = 0; i < 200; i++) {
                assertThat(seen.add(gen.next())).as("node %d id %d is new", node, i).isTrue();
            }
        }
    }

    @Test
    void concurrentCallersGetDistinctIds() throws Exception {
        QueueIdGenerator gen = new QueueIdGenerator(Clock.fixed(T, ZoneOffset.UTC), 9);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 2500; i++) {
                        ids.add(gen.next());
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(10_000);
    }

    /** Property: timeOf inverts next() for any instant, including ids whose time digits contain 'z'. */
    @Test
    void timeOfRoundTripsForAnyInstant() {
        Random random = new Random(5);
        int withZInTime = 0;
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), 1000L * random.nextInt(1_000_000));
            String id = new QueueIdGenerator(Clock.fixed(t, ZoneOffset.UTC), random.nextInt(100_000)).next();
            if (id.substring(0, 10).indexOf('z') >= 0) {
                withZInTime++;
            }
            assertThat(QueueIdGenerator.isValid(id)).as(id).isTrue();
            assertThat(QueueIdGenerator.timeOf(id)).as(id).isEqualTo(t);
        }
        assertThat(withZInTime).as("the property covered ids with 'z' among the time digits").isGreaterThan(100);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "4SVLCh0sf8",         // no separator or suffix
            "4SVLCh0sf8z",        // no suffix
            "4SVLCh0sf87z",       // separator in the wrong place
            "4SVLCh0sf8x7",       // wrong separator
            "4SVLCh0sa8z7",       // vowel
            "4SVLCh0sf8z7z",      // 'z' is not a suffix digit
            "4SVLCh0sf8zA",       // vowel in the suffix
            "4SVLCh0sf8z-",
            "3B5C61D2F4"})        // a short (Postfix default) queue id is not long-form
    void invalidIds(String s) {
        assertThat(QueueIdGenerator.isValid(s)).isFalse();
    }

    @Test
    void timeOfRejectsWhatIsNotALongFormId() {
        assertThatThrownBy(() -> QueueIdGenerator.timeOf("3B5C61D2F4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueIdGenerator.timeOf("4SVLCh0sa8z7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueIdGenerator.timeOf("4SVLCh0sf87z")).isInstanceOf(IllegalArgumentException.class);
        // Well-formed characters, but "zzzz" is 7311615 microseconds.
        assertThatThrownBy(() -> QueueIdGenerator.timeOf("4SVLChzzzzz7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeNumberMustNotBeNegative() {
        assertThatThrownBy(() -> new QueueIdGenerator(Clock.systemUTC(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
