package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlTarget;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.FakeMx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code postbus postsuper} against the running pipeline, as an operator uses it on a deferred
 * message: -r attempts it now (long before its retry is due), -h parks it with a Held event and no
 * attempt until -H, -d ends it with a Deleted event and no attempt ever. Time is the test's clock; a
 * waiting job looks at the commands again every {@link Controls#RECHECK} of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueControlPipelineTest {
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final String DEFER = "451 4.3.0 try again later";

    private ScenarioPipeline p;

    @BeforeAll
    void start() {
        p = ScenarioPipeline.start("queue-control", s -> {}, null);
    }

    @AfterAll
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void requeueAttemptsADeferredMessageNowWithoutWaitingForItsTier() throws Exception {
        String rcpt = "requeue@example.com";
        p.mx.rcpt(rcpt, FakeMx.RcptScript.failFirst(1, DEFER));
        String id = deferOnce(rcpt);
        Instant due = p.awaitEvents(id, EventType.TRANSIENT_FAILURE, 1).get(0).getNextAttemptAt();

        p.clock.advance(Controls.RECHECK);
        p.settle(QUIET);
        assertThat(p.mx.attempts(rcpt)).as("looking at the commands again is not an attempt").isEqualTo(1);

        assertThat(p.postbus("postsuper", "-r", id)).contains("postsuper: requeue queue-id:" + id);
        p.awaitControl(ControlTarget.queueId(id), ControlAction.REQUEUE);
        p.clock.advance(Controls.RECHECK);
        LifecycleEvent delivered = p.awaitEvents(id, EventType.DELIVERY, 1).get(0);
        assertThat(delivered.getAttempt()).isEqualTo(2);
        assertThat(delivered.getAt()).as("well before the retry was due").isBefore(due.minus(Duration.ofMinutes(4)));
        assertThat(p.mx.transactions()).anySatisfy(t -> assertThat(t.recipients()).containsExactly(rcpt));
    }

    @Test
    void holdParksADueMessageUntilReleasedAndThenItWaitsOutItsTier() throws Exception {
        String rcpt = "held@example.com";
        p.mx.rcpt(rcpt, FakeMx.RcptScript.failFirst(1, DEFER));
        String id = deferOnce(rcpt);
        Instant due = p.awaitEvents(id, EventType.TRANSIENT_FAILURE, 1).get(0).getNextAttemptAt();

        p.postbus("postsuper", "-h", id);
        p.awaitControl(ControlTarget.queueId(id), ControlAction.HOLD);
        p.clock.set(due);
        LifecycleEvent held = p.awaitEvents(id, EventType.HELD, 1).get(0);
        // Parked in the tier maximal.backoff.time (4000s) rounds down to, not attempted.
        assertThat(held.getTopic()).isEqualTo(p.retryTopic("1h"));
        assertThat(held.getNextAttemptAt()).isEqualTo(due.plus(Duration.ofHours(1)));
        assertThat(held.getAttempt()).as("a hold is no attempt").isEqualTo(1);
        assertThat(held.getDetail()).isEqualTo("on hold");
        p.settle(QUIET);
        assertThat(p.mx.attempts(rcpt)).isEqualTo(1);

        p.postbus("postsuper", "-H", id);
        p.awaitControl(ControlTarget.queueId(id), ControlAction.RELEASE);
        p.clock.set(held.getNextAttemptAt().minusSeconds(1));
        p.settle(QUIET);
        assertThat(p.mx.attempts(rcpt)).as("released, it waits out the tier it was parked in").isEqualTo(1);
        p.clock.set(held.getNextAttemptAt());
        LifecycleEvent delivered = p.awaitEvents(id, EventType.DELIVERY, 1).get(0);
        assertThat(delivered.getAttempt()).isEqualTo(2);
        assertThat(delivered.getAt()).isEqualTo(held.getNextAttemptAt());
    }

    @Test
    void deleteEndsADeferredMessageWithoutAnotherAttemptOrAReport() throws Exception {
        String rcpt = "deleted@example.com";
        p.mx.rcpt(rcpt, FakeMx.RcptScript.always(DEFER));
        String id = deferOnce(rcpt);
        Instant due = p.awaitEvents(id, EventType.TRANSIENT_FAILURE, 1).get(0).getNextAttemptAt();
        int transactions = p.mx.transactions().size();

        p.postbus("postsuper", "-d", id);
        p.awaitControl(ControlTarget.queueId(id), ControlAction.DELETE);
        p.clock.advance(Controls.RECHECK);
        LifecycleEvent deleted = p.awaitEvents(id, EventType.DELETED, 1).get(0);
        assertThat(deleted.getRecipients()).containsExactly(rcpt);
        assertThat(deleted.getDetail()).isEqualTo("deleted by the operator");

        p.clock.set(due.plus(Duration.ofMinutes(1)));
        List<LifecycleEvent> after = p.settle(QUIET);
        assertThat(EventLog.typesOf(after, id)).containsSubsequence(EventType.TRANSIENT_FAILURE, EventType.DELETED)
                .endsWith(EventType.DELETED);
        assertThat(p.mx.attempts(rcpt)).isEqualTo(1);
        assertThat(p.mx.transactions()).as("no report to the sender either (postsuper -d)").hasSize(transactions);
    }

    /** Sends a message to {@code rcpt} and waits for its first attempt. */
    private String deferOnce(String rcpt) throws Exception {
        String id = p.send("alice@example.net", rcpt, "From: alice@example.net\r\nTo: " + rcpt + "\r\nSubject: x\r\n\r\nhi\r\n");
        assertThat(p.mx.awaitAttempts(rcpt, 1, ScenarioPipeline.PATIENCE)).isTrue();
        return id;
    }
}
