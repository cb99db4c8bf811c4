package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Stage;
import io.postbus.testkit.FakeMx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 4xx destination on the real pipeline, with time in the test's hands: Postfix's default backoff
 * (minimal_backoff_time 300s doubling up to maximal_backoff_time 4000s) rounded down to the default
 * tiers (1m 5m 15m 1h 4h) gives waits of 5m, 5m, 15m; the retry comes out of its tier topic when
 * the clock reaches its due time and not a moment before, once per due time, and the message that
 * finally gets through is the one that was sent.
 */
class RetryTiersPipelineTest {
    /** How long "nothing happens" is watched for: a worker would act within a poll (200 ms). */
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final String RCPT = "later@example.com";

    private ScenarioPipeline p;

    @BeforeEach
    void start() {
        p = ScenarioPipeline.start("retry-tiers", s -> {}, null);
        p.mx.rcpt(RCPT, FakeMx.RcptScript.failFirst(3, "451 4.3.0 <" + RCPT + ">: temporarily deferred"));
    }

    @AfterEach
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void threeDeferralsWaitFiveFiveAndFifteenMinutesByTheClockThenTheMessageArrivesIntact() throws Exception {
        String message = "From: Alice <alice@example.net>\r\nTo: " + RCPT + "\r\nSubject: retried\r\n"
                + "Message-ID: <retry-1@example.net>\r\n\r\nfirst line\r\n.dot line\r\nGr\u00fc\u00dfe\r\n";
        Instant t0 = p.clock.instant();
        String id = p.send("alice@example.net", RCPT, message);

        // Attempt 1, at once: deferred to the 5m tier (backoff(1) = 300s).
        assertThat(p.mx.awaitAttempts(RCPT, 1, ScenarioPipeline.PATIENCE)).isTrue();
        assertDeferral(p.awaitEvents(id, EventType.TRANSIENT_FAILURE, 1).get(0), 1, t0, "5m", t0.plus(Duration.ofMinutes(5)));

        // Attempt 2 at t0+5m: backoff(2) = 600s rounds down to the 5m tier again.
        Instant t1 = waitUntilDue(t0.plus(Duration.ofMinutes(5)), 2);
        assertDeferral(p.awaitEvents(id, EventType.TRANSIENT_FAILURE, 2).get(1), 2, t1, "5m", t1.plus(Duration.ofMinutes(5)));

        // Attempt 3 at t0+10m: backoff(3) = 1200s rounds down to the 15m tier.
        Instant t2 = waitUntilDue(t1.plus(Duration.ofMinutes(5)), 3);
        assertDeferral(p.awaitEvents(id, EventType.TRANSIENT_FAILURE, 3).get(2), 3, t2, "15m", t2.plus(Duration.ofMinutes(15)));

        // Attempt 4 at t0+25m: the server takes it.
        Instant t3 = waitUntilDue(t2.plus(Duration.ofMinutes(15)), 4);
        LifecycleEvent delivered = p.awaitEvents(id, EventType.DELIVERY, 1).get(0);
        assertThat(delivered.getAttempt()).isEqualTo(4);
        assertThat(delivered.getAt()).isEqualTo(t3);
        assertThat(delivered.getRecipients()).containsExactly(RCPT);
        assertThat(delivered.getReply().getCode()).isEqualTo(250);
        assertThat(t3).isEqualTo(t0.plus(Duration.ofMinutes(25)));

        assertThat(p.mx.awaitTransactions(1, ScenarioPipeline.PATIENCE)).isTrue();
        FakeMx.Transaction t = p.mx.transactions().get(0);
        assertThat(t.mailFrom()).isEqualTo("alice@example.net");
        assertThat(t.recipients()).containsExactly(RCPT);
        assertThat(t.attempts()).containsEntry(RCPT, 4);
        assertThat(t.arrivedAt()).isEqualTo(t3);
        String arrived = new String(t.data(), StandardCharsets.UTF_8);
        assertThat(arrived).as("the message after our trace header is byte-identical").endsWith(message)
                .startsWith("Received: ");
        assertThat(arrived.substring(0, arrived.length() - message.length())).doesNotContain("\r\n\r\n");

        assertThat(ScenarioPipeline.of(p.settle(QUIET), id, EventType.DELIVERY)).as("delivered once").hasSize(1);
        assertThat(p.mx.attempts(RCPT)).isEqualTo(4);
        assertThat(p.mx.transactions()).hasSize(1);
    }

    /**
     * Moves the clock to a second before {@code due} and shows no attempt is made, then to
     * {@code due} and waits for exactly attempt {@code n}; returns the instant of that attempt.
     */
    private Instant waitUntilDue(Instant due, int n) {
        p.clock.set(due.minusSeconds(1));
        p.settle(QUIET);
        assertThat(p.mx.attempts(RCPT)).as("no attempt %d a second before it is due", n).isEqualTo(n - 1);
        p.clock.set(due);
        assertThat(p.mx.awaitAttempts(RCPT, n, ScenarioPipeline.PATIENCE)).as("attempt %d when due", n).isTrue();
        p.settle(QUIET);
        assertThat(p.mx.attempts(RCPT)).as("one attempt per due time").isEqualTo(n);
        return due;
    }

    private void assertDeferral(LifecycleEvent e, int attempt, Instant at, String tier, Instant next) {
        assertThat(e.getStage()).isEqualTo(Stage.DELIVERY);
        assertThat(e.getAttempt()).isEqualTo(attempt);
        assertThat(e.getAt()).isEqualTo(at);
        assertThat(e.getTopic()).isEqualTo(p.retryTopic(tier));
        assertThat(e.getNextAttemptAt()).isEqualTo(next);
        assertThat(e.getReply().getCode()).isEqualTo(451);
        assertThat(e.getReply().getEnhancedStatus()).isEqualTo("4.3.0");
        assertThat(e.getRecipients()).containsExactly(RCPT);
    }
}
