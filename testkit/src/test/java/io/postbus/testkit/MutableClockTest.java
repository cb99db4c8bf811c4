package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class MutableClockTest {
    @Test
    void aZonedViewMovesWithTheClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        var berlin = clock.withZone(ZoneId.of("Europe/Berlin"));
        assertThat(ZonedDateTime.now(berlin).getHour()).isEqualTo(11);
        clock.advance(Duration.ofHours(2));
        assertThat(berlin.instant()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(berlin.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(berlin.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }
}
