package io.postbus.core.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Who gets a report: RFC 3461 §4.1 NOTIFY, RFC 5321 §4.5.5 null sender, Postfix's double bounce. */
class DsnPolicyTest {
    private static final DsnPolicy POLICY = DsnPolicy.postmasterAt("mail.example.com");
    private static final Instant T = Instant.parse("2025-06-01T12:00:00Z");

    private static OriginalRecipient rcpt(NotifyOn... notify) {
        return new OriginalRecipient("bob@example.net", Set.of(notify), null);
    }

    @Test
    void withoutNotifyFailuresAndDelaysAreReportedButNotSuccess() {
        // RFC 3461 §4.1: no NOTIFY is as NOTIFY=FAILURE,DELAY.
        assertThat(POLICY.decide("alice@example.org", rcpt(), DsnKind.FAILURE)).isEqualTo(DsnTarget.TO_SENDER);
        assertThat(POLICY.decide("alice@example.org", rcpt(), DsnKind.DELAY)).isEqualTo(DsnTarget.TO_SENDER);
        assertThat(POLICY.decide("alice@example.org", rcpt(), DsnKind.SUCCESS)).isEqualTo(DsnTarget.NONE);
    }

    @Test
    void notifyNeverSilencesEveryKind() {
        for (DsnKind k : DsnKind.values()) {
            assertThat(POLICY.decide("alice@example.org", rcpt(NotifyOn.NEVER), k)).as(k.name()).isEqualTo(DsnTarget.NONE);
        }
    }

    @Test
    void onlyTheKindsAskedForAreReported() {
        OriginalRecipient success = rcpt(NotifyOn.SUCCESS);
        assertThat(POLICY.decide("alice@example.org", success, DsnKind.SUCCESS)).isEqualTo(DsnTarget.TO_SENDER);
        assertThat(POLICY.decide("alice@example.org", success, DsnKind.FAILURE)).isEqualTo(DsnTarget.NONE);
        assertThat(POLICY.decide("alice@example.org", success, DsnKind.DELAY)).isEqualTo(DsnTarget.NONE);
        OriginalRecipient failure = rcpt(NotifyOn.FAILURE);
        assertThat(POLICY.decide("alice@example.org", failure, DsnKind.FAILURE)).isEqualTo(DsnTarget.TO_SENDER);
        assertThat(POLICY.decide("alice@example.org", failure, DsnKind.DELAY)).isEqualTo(DsnTarget.NONE);
        OriginalRecipient all = rcpt(NotifyOn.SUCCESS, NotifyOn.FAILURE, NotifyOn.DELAY);
        for (DsnKind k : DsnKind.values()) {
            assertThat(POLICY.decide("alice@example.org", all, k)).isEqualTo(DsnTarget.TO_SENDER);
        }
    }

    @Test
    void neverCannotBeCombined() {
        assertThatThrownBy(() -> rcpt(NotifyOn.NEVER, NotifyOn.FAILURE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NEVER");
    }

    @Test
    void nullSenderMailIsNeverAnsweredExceptFailuresToThePostmaster() {
        assertThat(POLICY.decide("", rcpt(), DsnKind.FAILURE)).isEqualTo(DsnTarget.TO_POSTMASTER);
        assertThat(POLICY.decide("", rcpt(), DsnKind.DELAY)).isEqualTo(DsnTarget.NONE);
        assertThat(POLICY.decide("", rcpt(NotifyOn.SUCCESS), DsnKind.SUCCESS)).isEqualTo(DsnTarget.NONE);
        assertThat(DsnPolicy.dropDoubleBounces().decide("", rcpt(), DsnKind.FAILURE)).isEqualTo(DsnTarget.NONE);
    }

    @Test
    void aFailedDoubleBounceIsDroppedNotReportedAgain() {
        OriginalRecipient postmaster = OriginalRecipient.of("Postmaster@Mail.Example.com");
        assertThat(POLICY.decide("", postmaster, DsnKind.FAILURE)).isEqualTo(DsnTarget.NONE);
        assertThat(POLICY.decide("alice@example.org", postmaster, DsnKind.FAILURE))
                .as("ordinary mail to the postmaster bounces as usual").isEqualTo(DsnTarget.TO_SENDER);
    }

    @Test
    void planMakesOneReportForTheRecipientsThatWantIt() {
        OriginalMessage m = message("alice@example.org");
        AtomicInteger ids = new AtomicInteger();
        List<RecipientStatus> failed = List.of(
                failed(new OriginalRecipient("bob@example.net", Set.of(NotifyOn.FAILURE), "rfc822;bob@example.net")),
                failed(new OriginalRecipient("carol@example.net", Set.of(NotifyOn.NEVER), null)),
                failed(OriginalRecipient.of("dave@example.net")));

        DsnRequest r = POLICY.plan(m, DsnKind.FAILURE, failed, () -> "DSN" + ids.incrementAndGet()).orElseThrow();

        assertThat(r.queueId()).isEqualTo("DSN1");
        assertThat(r.target()).isEqualTo(DsnTarget.TO_SENDER);
        assertThat(r.notifyAddress()).isEqualTo("alice@example.org");
        assertThat(r.recipients()).extracting(s -> s.recipient().address()).containsExactly("bob@example.net", "dave@example.net");
    }

    @Test
    void planMakesNoReportAndTakesNoQueueIdWhenNobodyWantsOne() {
        AtomicInteger ids = new AtomicInteger();
        var none = POLICY.plan(message("alice@example.org"), DsnKind.FAILURE,
                List.of(failed(new OriginalRecipient("bob@example.net", Set.of(NotifyOn.NEVER), null))),
                () -> "DSN" + ids.incrementAndGet());
        assertThat(none).isEmpty();
        assertThat(ids.get()).isZero();
    }

    @Test
    void planSendsDoubleBouncesToThePostmaster() {
        DsnRequest r = POLICY.plan(message(""), DsnKind.FAILURE, List.of(failed(OriginalRecipient.of("alice@example.org"))),
                () -> "DSN1").orElseThrow();
        assertThat(r.target()).isEqualTo(DsnTarget.TO_POSTMASTER);
        assertThat(r.notifyAddress()).isEqualTo("postmaster@mail.example.com");
    }

    @Test
    void planRefusesStatusesOfAnotherKind() {
        assertThatThrownBy(() -> POLICY.plan(message("alice@example.org"), DsnKind.DELAY,
                List.of(failed(OriginalRecipient.of("bob@example.net"))), () -> "X"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static OriginalMessage message(String sender) {
        return new OriginalMessage("4bWm5J1c2Rz1", sender, null, null, T.minusSeconds(60), false,
                "Subject: hi\r\n\r\nhello\r\n".getBytes());
    }

    static RecipientStatus failed(OriginalRecipient r) {
        return new RecipientStatus(r, DsnAction.FAILED, "5.1.1", "mx.example.net", "192.0.2.25",
                "550 5.1.1 no such user", T, null);
    }
}
