package io.postbus.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.dmarc.DmarcLocalPolicy.QuarantineHandling;
import io.postbus.auth.dmarc.DmarcLocalPolicy.RejectHandling;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 7489 §6.7: the receiver's own policy maps outcomes to actions; cautious by default. */
class DmarcLocalPolicyTest {

    private static DmarcOutcome fail(DmarcPolicy requested, DmarcPolicy disposition, boolean sampledOut) {
        DmarcRecord record = DmarcRecord.of(requested);
        AlignmentResult none = new AlignmentResult(MechanismAlignment.NONE, Optional.empty(), MechanismAlignment.NONE,
                Optional.empty());
        return new DmarcOutcome(DmarcResult.FAIL, Optional.of("example.com"), Optional.empty(), Optional.of(
                new AppliedPolicy("example.com", record, PolicyTag.P, requested, disposition, sampledOut)), none, "test");
    }

    private static DmarcOutcome other(DmarcResult result, Optional<AuthorProblem> problem) {
        return new DmarcOutcome(result, problem.isPresent() ? Optional.empty() : Optional.of("example.com"), problem,
                Optional.empty(), AlignmentResult.NOT_EVALUATED, "test");
    }

    @Test
    void cautiousDefaultNeverRejectsNorDiscards() {
        DmarcLocalPolicy cautious = DmarcLocalPolicy.cautious();
        assertThat(cautious.actionFor(fail(DmarcPolicy.REJECT, DmarcPolicy.REJECT, false))).isEqualTo(DmarcAction.QUARANTINE);
        assertThat(cautious.actionFor(fail(DmarcPolicy.QUARANTINE, DmarcPolicy.QUARANTINE, false)))
                .isEqualTo(DmarcAction.SPAM_FLAG);
        assertThat(cautious.actionFor(fail(DmarcPolicy.NONE, DmarcPolicy.NONE, false))).isEqualTo(DmarcAction.ACCEPT);
        assertThat(cautious.actionFor(other(DmarcResult.TEMPERROR, Optional.empty()))).isEqualTo(DmarcAction.ACCEPT);
        assertThat(cautious.actionFor(other(DmarcResult.PERMERROR, Optional.of(AuthorProblem.MULTIPLE_FROM_FIELDS))))
                .isEqualTo(DmarcAction.SPAM_FLAG);
    }

    @Test
    void section6_6_4_theDispositionAfterSamplingDecidesNotTheRequest() {
        DmarcLocalPolicy strict = new DmarcLocalPolicy(QuarantineHandling.QUARANTINE, RejectHandling.REJECT,
                DmarcAction.REJECT, DmarcAction.ACCEPT);
        assertThat(strict.actionFor(fail(DmarcPolicy.REJECT, DmarcPolicy.REJECT, false))).isEqualTo(DmarcAction.REJECT);
        assertThat(strict.actionFor(fail(DmarcPolicy.REJECT, DmarcPolicy.QUARANTINE, true))).isEqualTo(DmarcAction.QUARANTINE);
        assertThat(strict.actionFor(fail(DmarcPolicy.QUARANTINE, DmarcPolicy.NONE, true))).isEqualTo(DmarcAction.ACCEPT);
    }

    @Test
    void discardIsAChoiceForReject() {
        DmarcLocalPolicy p = new DmarcLocalPolicy(QuarantineHandling.SPAM_FLAG, RejectHandling.DISCARD,
                DmarcAction.ACCEPT, DmarcAction.ACCEPT);
        assertThat(p.actionFor(fail(DmarcPolicy.REJECT, DmarcPolicy.REJECT, false))).isEqualTo(DmarcAction.DISCARD);
    }

    @Test
    void passNoneAndRecordPermErrorsAreAccepted() {
        DmarcLocalPolicy strict = new DmarcLocalPolicy(QuarantineHandling.QUARANTINE, RejectHandling.REJECT,
                DmarcAction.REJECT, DmarcAction.QUARANTINE);
        assertThat(strict.actionFor(other(DmarcResult.NONE, Optional.empty()))).isEqualTo(DmarcAction.ACCEPT);
        assertThat(strict.actionFor(other(DmarcResult.PERMERROR, Optional.empty()))).isEqualTo(DmarcAction.ACCEPT);
        assertThat(strict.actionFor(other(DmarcResult.PERMERROR, Optional.of(AuthorProblem.NO_FROM_FIELD))))
                .isEqualTo(DmarcAction.REJECT);
        assertThat(strict.actionFor(other(DmarcResult.TEMPERROR, Optional.empty()))).isEqualTo(DmarcAction.QUARANTINE);
    }

    @Test
    void aTemporaryErrorMayNotLoseTheMessage() {
        assertThatThrownBy(() -> new DmarcLocalPolicy(QuarantineHandling.SPAM_FLAG, RejectHandling.QUARANTINE,
                DmarcAction.ACCEPT, DmarcAction.DISCARD)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outcomeInvariantsAreChecked() {
        AlignmentResult pass = new AlignmentResult(MechanismAlignment.PASS, Optional.of("example.com"),
                MechanismAlignment.NONE, Optional.empty());
        assertThatThrownBy(() -> new DmarcOutcome(DmarcResult.PASS, Optional.of("example.com"), Optional.empty(),
                Optional.empty(), pass, "no policy")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppliedPolicy("example.com", DmarcRecord.of(DmarcPolicy.QUARANTINE), PolicyTag.P,
                DmarcPolicy.QUARANTINE, DmarcPolicy.REJECT, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlignmentResult(MechanismAlignment.PASS, Optional.empty(), MechanismAlignment.NONE,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
