package io.postbus.loadtest.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Correlating accepts with arrivals: per message and recipient, in either order. */
class DeliveryTrackerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aMessageIsDeliveredWhenItsLastRecipientArrivesAndLatencyRunsFromThe250() {
        DeliveryTracker t = new DeliveryTracker();
        t.accepted(1, List.of("a@d1.test", "b@d2.test"), 1000 * MS, 3 * MS);
        t.arrived(1, List.of("a@d1.test"), 1010 * MS);
        assertThat(t.outcome().delivered()).isZero();
        assertThat(t.outcome().lost()).isEqualTo(1);
        t.arrived(1, List.of("b@d2.test"), 1040 * MS);
        DeliveryTracker.Outcome o = t.outcome();
        assertThat(o.delivered()).isEqualTo(1);
        assertThat(o.lost()).isZero();
        assertThat(o.duplicates()).isZero();
        assertThat(o.endToEnd().getMaxValue()).isBetween(39_900L, 40_100L); // 40 ms in microseconds
        assertThat(o.acceptLatency().getMaxValue()).isBetween(2_990L, 3_010L);
    }

    @Test
    void anArrivalBeforeItsAcceptIsKeptAndASecondCopyIsADuplicate() {
        DeliveryTracker t = new DeliveryTracker();
        t.arrived(7, List.of("a@d1.test"), 2000 * MS); // the generator thread had not recorded the 250 yet
        assertThat(t.outcome().unexpected()).isEqualTo(1);
        t.accepted(7, List.of("a@d1.test"), 1999 * MS, MS);
        assertThat(t.outcome().delivered()).isEqualTo(1);
        assertThat(t.outcome().unexpected()).isZero();
        t.arrived(7, List.of("a@d1.test"), 2500 * MS);
        assertThat(t.outcome().duplicates()).isEqualTo(1);
        assertThat(t.outcome().recipientArrivals()).isEqualTo(2);
    }

    @Test
    void neverArrivedIsLostAndRefusedAtTheSinkIsBouncedNotLost() throws InterruptedException {
        DeliveryTracker t = new DeliveryTracker();
        t.accepted(1, List.of("a@d1.test"), 0, 0);
        t.accepted(2, List.of("b@d1.test"), 0, 0);
        t.refusedAtSink(2, List.of("b@d1.test"), 5 * MS);
        t.arrivedWithoutId();
        assertThat(t.awaitAllDelivered(System.nanoTime() + 50 * MS)).isFalse();
        DeliveryTracker.Outcome o = t.outcome();
        assertThat(o.lost()).isEqualTo(1);
        assertThat(o.someLost()).containsExactly(1L);
        assertThat(o.bounced()).isEqualTo(1);
        assertThat(o.delivered()).isZero();
        assertThat(o.endToEnd().getTotalCount()).isZero();
        assertThat(o.unexpected()).isEqualTo(1);
    }

    @Test
    void perSecondBucketsCountEventsSinceTheStart() {
        assertThat(LoadRun.perSecond(List.of(0L, 999 * MS, 1000 * MS, 3500 * MS), 0)).containsExactly(2L, 1L, 0L, 1L);
    }

    @Test
    void sinkFaultSharesAreDisjointAndNearTheConfiguredShare() {
        SinkFaults f = new SinkFaults(100, 50);
        int defers = 0;
        int rejects = 0;
        for (long id = 1; id <= 100_000; id++) {
            assertThat(f.defers(id) && f.rejects(id)).isFalse();
            defers += f.defers(id) ? 1 : 0;
            rejects += f.rejects(id) ? 1 : 0;
        }
        assertThat(defers).isBetween(9_500, 10_500);
        assertThat(rejects).isBetween(4_500, 5_500);
        assertThat(SinkFaults.none().defers(1)).isFalse();
    }
}
