package io.postbus.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The control plane's meaning, after Postfix's postsuper(1): -h holds, -H releases, -d deletes,
 * -r requeues ("ALL" for every queued message), plus per-destination and per-site suspension.
 */
class ControlStateTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final ControlState state = new ControlState();

    private static ControlOrder order(ControlAction action, ControlTarget target, Instant issuedAt) {
        return new ControlOrder("cmd-" + action + "-" + issuedAt, action, target, issuedAt, null, "test");
    }

    /** A message received at T0 whose job was written to its topic at T0 + 1 minute. */
    private static ControlledJob job(String queueId, String destination, String site) {
        return new ControlledJob(queueId, destination, site, T0, T0.plusSeconds(60));
    }

    private final Instant later = T0.plus(Duration.ofMinutes(5));
    private final Instant now = T0.plus(Duration.ofMinutes(10));

    @Test
    void noCommandMeansProceed() {
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.PROCEED);
    }

    @Test
    void holdThenReleaseOfOneQueueId() {
        state.apply(order(ControlAction.HOLD, ControlTarget.queueId("Q1"), later));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.HOLD);
        assertThat(state.decide(job("Q2", "example.net", "default"), now)).as("other messages").isEqualTo(ControlDecision.PROCEED);
        state.apply(order(ControlAction.RELEASE, ControlTarget.queueId("Q1"), later.plusSeconds(1)));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.PROCEED);
        assertThat(state.size()).as("one command per target, as on the compacted topic").isEqualTo(1);
    }

    @Test
    void holdAllReachesOnlyMailQueuedBeforeIt() {
        state.apply(order(ControlAction.HOLD, ControlTarget.all(), later));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.HOLD);
        ControlledJob newMail = new ControlledJob("Q9", "example.net", "default", later.plusSeconds(1), later.plusSeconds(2));
        assertThat(state.decide(newMail, now)).as("postsuper -h ALL holds the queue as it is").isEqualTo(ControlDecision.PROCEED);
    }

    @Test
    void aLaterReleaseOfOneMessageBeatsAnEarlierHoldAll() {
        state.apply(order(ControlAction.HOLD, ControlTarget.all(), later));
        state.apply(order(ControlAction.RELEASE, ControlTarget.queueId("Q1"), later.plusSeconds(1)));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.PROCEED);
        assertThat(state.decide(job("Q2", "example.net", "default"), now)).isEqualTo(ControlDecision.HOLD);
        state.apply(order(ControlAction.RELEASE, ControlTarget.all(), later.plusSeconds(2)));
        assertThat(state.decide(job("Q2", "example.net", "default"), now)).isEqualTo(ControlDecision.PROCEED);
    }

    @Test
    void deleteWinsOverSuspension() {
        state.apply(order(ControlAction.SUSPEND, ControlTarget.destination("example.net"), later));
        state.apply(order(ControlAction.DELETE, ControlTarget.queueId("Q1"), later));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.DELETE);
        assertThat(state.decide(job("Q2", "example.net", "default"), now)).isEqualTo(ControlDecision.SUSPENDED);
    }

    @Test
    void suspendAndResumeADestinationOrASiteCaseInsensitively() {
        state.apply(order(ControlAction.SUSPEND, ControlTarget.site("Gmail"), later));
        assertThat(state.decide(job("Q1", "gmail.com", "gmail"), now)).isEqualTo(ControlDecision.SUSPENDED);
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).as("other sites keep flowing").isEqualTo(ControlDecision.PROCEED);
        assertThat(state.suspension(job("Q1", "gmail.com", "gmail"), now)).map(ControlOrder::target).contains(ControlTarget.site("gmail"));
        state.apply(order(ControlAction.RESUME, ControlTarget.site("gmail"), later.plusSeconds(1)));
        assertThat(state.decide(job("Q1", "gmail.com", "gmail"), now)).isEqualTo(ControlDecision.PROCEED);

        state.apply(order(ControlAction.SUSPEND, ControlTarget.destination("Example.NET"), later));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.SUSPENDED);
        assertThat(state.decide(job("Q1", "example.org", "default"), now)).isEqualTo(ControlDecision.PROCEED);
    }

    @Test
    void requeueBringsForwardOnlyJobsWaitingWhenItWasIssued() {
        state.apply(order(ControlAction.REQUEUE, ControlTarget.all(), later));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.REQUEUE);
        ControlledJob deferredAgain = new ControlledJob("Q1", "example.net", "default", T0, later.plusSeconds(30));
        assertThat(state.decide(deferredAgain, now)).as("no tight retry loop after the requeued attempt failed")
                .isEqualTo(ControlDecision.PROCEED);
    }

    @Test
    void requeueAlsoEndsAHoldButNotASuspension() {
        state.apply(order(ControlAction.HOLD, ControlTarget.queueId("Q1"), later));
        state.apply(order(ControlAction.REQUEUE, ControlTarget.queueId("Q1"), later.plusSeconds(1)));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.REQUEUE);
        state.apply(order(ControlAction.SUSPEND, ControlTarget.destination("example.net"), later));
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.SUSPENDED);
    }

    @Test
    void commandsExpire() {
        state.apply(new ControlOrder("c1", ControlAction.SUSPEND, ControlTarget.site("gmail"), later, now, "maintenance"));
        state.apply(new ControlOrder("c2", ControlAction.HOLD, ControlTarget.queueId("Q1"), later, now.plusSeconds(60), null));
        assertThat(state.decide(job("Q2", "gmail.com", "gmail"), now.minusMillis(1))).isEqualTo(ControlDecision.SUSPENDED);
        assertThat(state.decide(job("Q2", "gmail.com", "gmail"), now)).as("expiresAt is exclusive").isEqualTo(ControlDecision.PROCEED);
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.HOLD);
        assertThat(state.decide(job("Q1", "example.net", "default"), now.plusSeconds(60))).isEqualTo(ControlDecision.PROCEED);
    }

    @Test
    void aTombstoneRemovesTheTargetsCommand() {
        state.apply(order(ControlAction.HOLD, ControlTarget.queueId("Q1"), later));
        state.remove(ControlTarget.queueId("Q1").key());
        assertThat(state.decide(job("Q1", "example.net", "default"), now)).isEqualTo(ControlDecision.PROCEED);
        assertThat(state.size()).isZero();
    }

    @Test
    void keysAndPairings() {
        assertThat(ControlTarget.queueId("4Xy7Zq").key()).isEqualTo("queue-id:4Xy7Zq");
        assertThat(ControlTarget.all().key()).isEqualTo("all:");
        assertThat(ControlTarget.destination("Example.NET").key()).isEqualTo("destination:example.net");
        assertThat(ControlTarget.site("gmail").key()).isEqualTo("site:gmail");
        assertThatThrownBy(() -> order(ControlAction.SUSPEND, ControlTarget.queueId("Q1"), later))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> order(ControlAction.HOLD, ControlTarget.site("gmail"), later))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ControlTarget.queueId(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
