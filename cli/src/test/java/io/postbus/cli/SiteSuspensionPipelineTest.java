package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlTarget;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.FakeMx;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A suspended site on the real pipeline: mail for it waits untouched in its own delivery topic
 * while mail for other destinations is delivered, and goes once the site is resumed. Sites apply to
 * MX-routed destinations (a next hop such as a relayhost puts every job in the default site), and
 * MX delivery is to port 25, so the fake MX listens on port 25 of a loopback address of its own,
 * which needs root or CAP_NET_BIND_SERVICE: without it the test is skipped.
 */
class SiteSuspensionPipelineTest {
    private static final Duration QUIET = Duration.ofSeconds(2);

    private ScenarioPipeline p;

    @AfterEach
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void aSuspendedSiteIsNotTriedWhileOthersAreDeliveredAndGoesOnceResumed() throws Exception {
        InetAddress ip = InetAddress.getByAddress(new byte[] {127, 25, (byte) ThreadLocalRandom.current().nextInt(1, 255),
                (byte) ThreadLocalRandom.current().nextInt(1, 255)});
        FakeMx mx;
        try {
            mx = FakeMx.start(new InetSocketAddress(ip, 25));
        } catch (UncheckedIOException e) {
            Assumptions.abort("cannot listen on " + ip.getHostAddress() + ":25 (MX delivery's port): " + e.getCause());
            return;
        }
        String zone = String.join("\n", "$TTL 300",
                "slow.test.  IN MX 10 mx.fake.test.",
                "fast.test.  IN MX 10 mx.fake.test.",
                "mx.fake.test. IN A " + ip.getHostAddress(), "");
        p = ScenarioPipeline.start("site-suspension", mx, s -> {
            s.put("relayhost", "");
            s.put("delivery.sites", "slow:slow.test");
        }, ZoneFileResolver.fromString("test.", zone));

        p.postbus("postsuper", "--suspend-site", "slow");
        p.awaitControl(ControlTarget.site("slow"), ControlAction.SUSPEND);
        String id = p.send("alice@example.net", "a@slow.test,b@fast.test",
                "From: alice@example.net\r\nTo: a@slow.test, b@fast.test\r\nSubject: two sites\r\n\r\nhi\r\n");

        LifecycleEvent fast = p.awaitEvents(id, EventType.DELIVERY, 1).get(0);
        assertThat(fast.getRecipients()).containsExactly("b@fast.test");
        // fast.test has no configured site: its site is named after its MX host (ADR 0007).
        assertThat(fast.getSite()).isEqualTo("mx.fake.test");
        assertThat(fast.getRemoteAddress()).isEqualTo(ip.getHostAddress());
        // Several rechecks of the commands: the site's topic just waits, with no event and no attempt.
        for (int i = 0; i < 3; i++) {
            p.clock.advance(Controls.RECHECK);
            p.settle(Duration.ofMillis(500));
        }
        List<LifecycleEvent> events = p.settle(QUIET);
        assertThat(ScenarioPipeline.of(events, id, EventType.ROUTED)).as("one job per destination")
                .extracting(LifecycleEvent::getDestination, LifecycleEvent::getSite, LifecycleEvent::getTopic)
                .containsExactlyInAnyOrder(tuple("slow.test", "slow", p.config.topics().deliver("slow")),
                        tuple("fast.test", "mx.fake.test", p.config.topics().deliver("default")));
        assertThat(events).as("after routing, nothing about the suspended site's job")
                .filteredOn(e -> e.getQueueId().equals(id) && "slow.test".equals(e.getDestination()))
                .extracting(LifecycleEvent::getType).containsExactly(EventType.ROUTED);
        assertThat(p.mx.attempts("a@slow.test")).isZero();
        assertThat(p.mx.transactions()).singleElement().satisfies(t -> assertThat(t.recipients()).containsExactly("b@fast.test"));

        p.postbus("postsuper", "--resume-site", "slow");
        p.awaitControl(ControlTarget.site("slow"), ControlAction.RESUME);
        p.clock.advance(Controls.RECHECK);
        List<LifecycleEvent> delivered = p.awaitEvents(id, EventType.DELIVERY, 2);
        assertThat(delivered.get(1).getRecipients()).containsExactly("a@slow.test");
        assertThat(delivered.get(1).getSite()).isEqualTo("slow");
        assertThat(delivered.get(1).getAttempt()).as("waiting was no attempt").isEqualTo(1);
        assertThat(p.mx.attempts("a@slow.test")).isEqualTo(1);
    }
}
