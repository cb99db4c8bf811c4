package io.postbus.delivery.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    // Postfix defaults: minimal_backoff_time 300s, maximal_backoff_time 4000s.
    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(300), Duration.ofSeconds(4000),
            List.of("1m", "5m", "15m", "1h", "4h"));

    @Test
    void backoffDoublesFromMinimalUpToMaximal() {
        assertThat(schedule.backoff(1)).isEqualTo(Duration.ofSeconds(300));
        assertThat(schedule.backoff(2)).isEqualTo(Duration.ofSeconds(600));
        assertThat(schedule.backoff(3)).isEqualTo(Duration.ofSeconds(1200));
        assertThat(schedule.backoff(4)).isEqualTo(Duration.ofSeconds(2400));
        assertThat(schedule.backoff(5)).isEqualTo(Duration.ofSeconds(4000));
        assertThat(schedule.backoff(500)).isEqualTo(Duration.ofSeconds(4000));
    }

    @Test
    void tierIsTheLongestNotExceedingTheBackoff() {
        assertThat(schedule.tierFor(1).getKey()).isEqualTo("5m");   // 300 s
        assertThat(schedule.tierFor(2).getKey()).isEqualTo("5m");   // 600 s
        assertThat(schedule.tierFor(3).getKey()).isEqualTo("15m");  // 1200 s
        assertThat(schedule.tierFor(4).getKey()).isEqualTo("15m");  // 2400 s
        assertThat(schedule.tierFor(5).getKey()).isEqualTo("1h");   // 4000 s
        assertThat(schedule.tierFor(5).getValue()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void backoffShorterThanEveryTierUsesTheShortest() {
        RetrySchedule fast = new RetrySchedule(Duration.ofSeconds(10), Duration.ofSeconds(20), List.of("1h", "1m"));
        assertThat(fast.tierFor(1).getKey()).isEqualTo("1m");
    }

    @Test
    void tierNamesMustBeDurations() {
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(2), List.of("soon")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(2), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
