package io.postbus.delivery.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.delivery.core.RemoteReply;
import io.postbus.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shaper's decisions under a clock the test moves. */
class SiteShaperTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    private SiteShaper shaper(String file) {
        return new SiteShaper(ShapingConfig.parse(file, "test"), BackoffRules.builtIn(), clock);
    }

    private static Admission.Wait waits(Admission a) {
        assertThat(a).isInstanceOf(Admission.Wait.class);
        return (Admission.Wait) a;
    }

    private void goAndFinish(SiteShaper s, String group) {
        assertThat(s.admit(group)).isInstanceOf(Admission.Go.class);
        s.finished(group);
    }

    @Test
    void oneMessageAMinuteSpacesMessagesAMinuteApart() {
        SiteShaper s = shaper("slow.example messages-per-minute=1");
        goAndFinish(s, "slow.example");
        Admission.Wait w = waits(s.admit("slow.example"));
        assertThat(w.until()).isEqualTo(T0.plusSeconds(60));
        assertThat(w.reason()).isEqualTo(Admission.Reason.MESSAGE_RATE);
        assertThat(s.admit("other.example")).as("another group is not held up").isInstanceOf(Admission.Go.class);
        clock.advance(Duration.ofSeconds(59));
        waits(s.admit("slow.example"));
        clock.advance(Duration.ofSeconds(1));
        goAndFinish(s, "slow.example");
    }

    @Test
    void aRateAllowsABurstOfItsCountThenEvenSpacing() {
        SiteShaper s = shaper("default messages-per-minute=3");
        for (int i = 0; i < 3; i++) {
            goAndFinish(s, "x.example");
        }
        assertThat(waits(s.admit("x.example")).until()).isEqualTo(T0.plusSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        goAndFinish(s, "x.example");
        assertThat(waits(s.admit("x.example")).until()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    void theHourlyLimitHoldsWhenTheMinuteLimitWouldAllowMore() {
        SiteShaper s = shaper("default messages-per-minute=10 messages-per-hour=12");
        for (int i = 0; i < 10; i++) {
            goAndFinish(s, "x.example");
        }
        clock.advance(Duration.ofMinutes(1));
        goAndFinish(s, "x.example");
        goAndFinish(s, "x.example");
        Admission.Wait w = waits(s.admit("x.example"));
        assertThat(w.detail()).contains("12/h");
        assertThat(w.until()).isEqualTo(T0.plus(Duration.ofMinutes(5))); // 12/h: one every 5 minutes
    }

    @Test
    void maxConnectionsCountsDeliveriesUnderWay() {
        SiteShaper s = shaper("gmail max-connections=2");
        assertThat(s.admit("gmail")).isInstanceOf(Admission.Go.class);
        assertThat(s.admit("gmail")).isInstanceOf(Admission.Go.class);
        Admission.Wait w = waits(s.admit("gmail"));
        assertThat(w.reason()).isEqualTo(Admission.Reason.MAX_CONNECTIONS);
        s.finished("gmail");
        assertThat(s.admit("gmail")).isInstanceOf(Admission.Go.class);
    }

    @Test
    void theConnectionRateDoesNotApplyWhileAnIdleConnectionCanBeReused() {
        SiteShaper s = shaper("gmail connections-per-minute=1");
        assertThat(s.admit("gmail")).isInstanceOf(Admission.Go.class);
        s.connectionOpened("gmail");
        s.finished("gmail");
        s.connectionParked("gmail");
        assertThat(s.admit("gmail")).as("reuses the idle connection").isInstanceOf(Admission.Go.class);
        s.connectionUnparked("gmail");
        s.finished("gmail");
        Admission.Wait w = waits(s.admit("gmail"));
        assertThat(w.reason()).isEqualTo(Admission.Reason.CONNECTION_RATE);
        assertThat(w.until()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void gmailsRateLimitReplyThrottlesTheSiteForAnHour() {
        SiteShaper s = shaper("");
        List<AppliedBackoff> applied = s.afterReplies("gmail", List.of(new RemoteReply(421, "4.7.28",
                "4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.")));
        assertThat(applied).singleElement().satisfies(a -> {
            assertThat(a.rule().action()).isEqualTo(new BackoffAction.Throttle(Rate.parse("60/h"), Duration.ofHours(1)));
            assertThat(a.until()).isEqualTo(T0.plus(Duration.ofHours(1)));
        });
        Admission.Wait w = waits(s.admit("gmail"));
        assertThat(w.reason()).isEqualTo(Admission.Reason.BACKOFF_THROTTLED);
        assertThat(w.until()).as("the reply said too fast: the first message waits one interval").isEqualTo(T0.plusSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        goAndFinish(s, "gmail");
        waits(s.admit("gmail"));
        clock.advance(Duration.ofHours(1));
        goAndFinish(s, "gmail");
        goAndFinish(s, "gmail");
        assertThat(s.backoff("gmail")).isEmpty();
    }

    @Test
    void yahoosComplaintDeferralSuspendsTheSiteAndALaterMilderRuleDoesNotShortenIt() {
        SiteShaper s = shaper("");
        s.afterReplies("yahoo", List.of(new RemoteReply(421, "4.7.0",
                "4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints")));
        Admission.Wait w = waits(s.admit("yahoo"));
        assertThat(w.reason()).isEqualTo(Admission.Reason.BACKOFF_SUSPENDED);
        assertThat(w.until()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(w.detail()).contains("[TSS04]", "built-in backoff-rules.txt:");
        s.afterReplies("yahoo", List.of(new RemoteReply(421, "4.7.0", "4.7.0 too many connections")));
        assertThat(waits(s.admit("yahoo")).until()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(30));
        goAndFinish(s, "yahoo");
    }

    @Test
    void positiveAndUnmatchedRepliesChangeNothing() {
        SiteShaper s = shaper("");
        assertThat(s.afterReplies("x", List.of(new RemoteReply(250, "2.0.0", "2.0.0 Ok"),
                new RemoteReply(450, "4.2.0", "4.2.0 mailbox busy")))).isEmpty();
        goAndFinish(s, "x");
    }

    @Test
    void groupsAreTheSiteOrForTheCatchAllSiteTheDestination() {
        assertThat(ShapingGroup.of("gmail", "gmail.com")).isEqualTo("gmail");
        assertThat(ShapingGroup.of("default", "Example.ORG")).isEqualTo("example.org");
    }
}
