package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.smtp.SessionDeadlines.Phase;
import io.postbus.ingress.smtp.SessionTimeouts.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-phase limits (RFC 5321 §4.5.3.2), the slowloris line deadline and the session deadline, in plain milliseconds. */
class SessionDeadlinesTest {
    // command 300, line 100, data 200, bdat 150, tls 50, session 1000
    private static final SessionTimeouts T = new SessionTimeouts(Duration.ofMillis(300), Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(150), Duration.ofMillis(50), Duration.ofMillis(1000));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void waitingForACommandExpiresAfterTheCommandLimitAndBytesPushItBack() {
        SessionDeadlines d = new SessionDeadlines(T, 0);
        d.enter(Phase.COMMAND, 10);
        assertThat(d.nextDeadline()).isEqualTo(310);
        assertThat(d.expired(309)).isEmpty();
        d.received(200);
        d.commandBytes(b("NOOP\r\n"), 200);
        assertThat(d.expired(309)).isEmpty();
        assertThat(d.nextDeadline()).isEqualTo(500);
        assertThat(d.expired(500)).contains(Kind.COMMAND);
    }

    @Test
    void aLineTricklingInExpiresOnTheLineDeadlineThoughNeverIdle() {
        SessionDeadlines d = new SessionDeadlines(T, 0);
        d.enter(Phase.COMMAND, 0);
        for (long t = 10; t < 110; t += 20) {
            d.received(t);
            d.commandBytes(b("E"), t);
        }
        assertThat(d.nextDeadline()).as("line started at 10").isEqualTo(110);
        assertThat(d.expired(109)).isEmpty();
        assertThat(d.expired(110)).contains(Kind.COMMAND_LINE);
    }

    @Test
    void aCompletedLineStopsTheLineClockEvenWhenTheCrlfIsSplitAcrossReads() {
        SessionDeadlines d = new SessionDeadlines(T, 0);
        d.enter(Phase.COMMAND, 0);
        d.commandBytes(b("NOOP\r"), 10);
        d.commandBytes(b("\n"), 20);
        assertThat(d.expired(250)).as("no open line; idle limit is 300 from phase start").isEmpty();
        d.commandBytes(b("NOOP\r\nQU"), 30);
        assertThat(d.nextDeadline()).as("a new line began at 30").isEqualTo(130);
        d.commandBytes(b("IT"), 60);
        assertThat(d.nextDeadline()).as("still the line that began at 30").isEqualTo(130);
    }

    @Test
    void dataBdatAndTlsEachHaveTheirOwnLimit() {
        SessionDeadlines d = new SessionDeadlines(T, 0);
        d.enter(Phase.DATA, 0);
        assertThat(d.watchesLines()).isFalse();
        assertThat(d.expired(199)).isEmpty();
        assertThat(d.expired(200)).contains(Kind.DATA);
        d.enter(Phase.BDAT_CHUNK, 200);
        assertThat(d.expired(349)).isEmpty();
        assertThat(d.expired(350)).contains(Kind.BDAT_CHUNK);
        d.enter(Phase.TLS_HANDSHAKE, 400);
        assertThat(d.expired(450)).contains(Kind.TLS_HANDSHAKE);
    }

    @Test
    void aLineOpenWhenDataBeginsDoesNotCountInData() {
        SessionDeadlines d = new SessionDeadlines(T, 0);
        d.enter(Phase.COMMAND, 0);
        d.commandBytes(b("DATA\r\nSubject: x"), 10);
        d.enter(Phase.DATA, 10);
        assertThat(d.expired(150)).as("the line deadline (100) is for commands only").isEmpty();
    }

    @Test
    void theSessionDeadlineCutsAnyPhaseButWaitsForTheBroker() {
        SessionDeadlines d = new SessionDeadlines(T, 0);
        d.enter(Phase.COMMAND, 900);
        assertThat(d.nextDeadline()).isEqualTo(1000);
        assertThat(d.expired(1000)).contains(Kind.SESSION);
        d.enter(Phase.BUSY, 950);
        assertThat(d.expired(5000)).as("a message being acknowledged is never cut off").isEmpty();
        assertThat(d.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        d.enter(Phase.COMMAND, 5000);
        assertThat(d.expired(5000)).contains(Kind.SESSION);
    }

    @Test
    void beforeTheBannerOnlyTheSessionDeadlineCounts() {
        SessionDeadlines d = new SessionDeadlines(T, 0);
        assertThat(d.phase()).isEqualTo(Phase.GREETING);
        assertThat(d.expired(999)).isEmpty();
        assertThat(d.nextDeadline()).isEqualTo(1000);
    }

    @Test
    void everyLimitMustBePositive() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new SessionTimeouts(s, Duration.ZERO, s, s, s, s)).hasMessageContaining("commandLine");
        assertThatThrownBy(() -> new SessionTimeouts(s, s, s, s, s, Duration.ofSeconds(-1))).hasMessageContaining("session");
        assertThat(SessionTimeouts.DEFAULTS.command()).as("RFC 5321 §4.5.3.2.7").isEqualTo(Duration.ofMinutes(5));
    }
}
