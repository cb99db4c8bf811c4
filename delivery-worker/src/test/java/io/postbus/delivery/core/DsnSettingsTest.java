package io.postbus.delivery.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Postfix delay_warning_time (one warning per message) and the DSN status of a reply (RFC 3463). */
class DsnSettingsTest {
    private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
    private static final DsnSettings WARN_AT_4H = DsnSettings.defaults("mail.example.com").withDelayWarningTime(Duration.ofHours(4));

    @Test
    void postfixDefaultsNeverWarn() {
        DsnSettings d = DsnSettings.defaults("mail.example.com");
        assertThat(d.delayWarningTime()).isZero();
        assertThat(d.bounceSizeLimit()).isEqualTo(50_000);
        assertThat(d.doubleBounceRecipient()).isEqualTo("postmaster@mail.example.com");
        assertThat(d.delayWarningDue(T0, T0.plus(Duration.ofHours(3)), T0.plus(Duration.ofDays(4)))).isFalse();
    }

    @Test
    void onlyTheFirstAttemptPastTheLineWarns() {
        // attempts at 0h (first), 1h, 3h59m, 5h, 9h: only the one at 5h crosses 4h
        assertThat(WARN_AT_4H.delayWarningDue(T0, null, T0)).isFalse();
        assertThat(WARN_AT_4H.delayWarningDue(T0, T0, T0.plus(Duration.ofHours(1)))).isFalse();
        assertThat(WARN_AT_4H.delayWarningDue(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofMinutes(239)))).isFalse();
        assertThat(WARN_AT_4H.delayWarningDue(T0, T0.plus(Duration.ofMinutes(239)), T0.plus(Duration.ofHours(5)))).isTrue();
        assertThat(WARN_AT_4H.delayWarningDue(T0, T0.plus(Duration.ofHours(5)), T0.plus(Duration.ofHours(9)))).isFalse();
        assertThat(WARN_AT_4H.delayWarningDue(T0, T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofHours(9))))
                .as("an attempt exactly at the line already warned").isFalse();
        assertThat(WARN_AT_4H.delayWarningDue(T0, null, T0.plus(Duration.ofHours(6))))
                .as("a first attempt made late warns").isTrue();
    }

    @Test
    void negativeValuesAreRefused() {
        assertThatThrownBy(() -> DsnSettings.defaults("h").withDelayWarningTime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DsnSettings("h", Duration.ZERO, -1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dsnStatusComesFromTheEnhancedCodeWhenItAgreesWithTheReply() {
        assertThat(new RemoteReply(550, "5.1.1", "x").dsnStatus()).isEqualTo("5.1.1");
        assertThat(new RemoteReply(550, "5.7.708", "x").dsnStatus()).isEqualTo("5.7.708");
        assertThat(new RemoteReply(550, null, "x").dsnStatus()).isEqualTo("5.0.0");
        assertThat(new RemoteReply(550, "4.2.2", "x").dsnStatus()).as("class disagrees with 550").isEqualTo("5.0.0");
        assertThat(new RemoteReply(451, "4.4.1", "x").dsnStatus()).isEqualTo("4.4.1");
        assertThat(new RemoteReply(250, "2.0.0", "ok").dsnStatus()).isEqualTo("2.0.0");
        assertThat(new RemoteReply(554, "5.x.1", "x").dsnStatus()).isEqualTo("5.0.0");
    }

    @Test
    void aReplyOnOneLineNamesItsEnhancedCodeOnce() {
        // The SMTP client keeps a server's text as written, enhanced code included; ours lack it.
        assertThat(new RemoteReply(550, "5.1.1", "5.1.1 <b@x>: User unknown").toString()).isEqualTo("550 5.1.1 <b@x>: User unknown");
        assertThat(new RemoteReply(556, "5.1.10", "null MX").toString()).isEqualTo("556 5.1.10 null MX");
        assertThat(new RemoteReply(550, null, "No such user").toString()).isEqualTo("550 No such user");
    }
}
