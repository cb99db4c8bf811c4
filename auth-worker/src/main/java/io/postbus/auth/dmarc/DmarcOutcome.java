package io.postbus.auth.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of DMARC evaluation for one message.
 *
 * @param result        the DMARC result
 * @param authorDomain  the RFC5322.From domain evaluated (the decisive one when there were several);
 *                      empty when there was none usable. The AR header's {@code header.from}.
 * @param authorProblem what was unusual about the From field, if anything
 * @param policy        the governing record and disposition: present for PASS and FAIL, and for a
 *                      TEMPERROR that came after the record was found (its rua still wants the report)
 * @param alignment     which identifiers aligned
 * @param reason        a short human-readable explanation, for logs and the AR comment
 */
public record DmarcOutcome(DmarcResult result, Optional<String> authorDomain, Optional<AuthorProblem> authorProblem,
                           Optional<AppliedPolicy> policy, AlignmentResult alignment, String reason) {

    public DmarcOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(authorDomain, "authorDomain");
        Objects.requireNonNull(authorProblem, "authorProblem");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(alignment, "alignment");
        Objects.requireNonNull(reason, "reason");
        boolean decided = result == DmarcResult.PASS || result == DmarcResult.FAIL;
        boolean noRecord = result == DmarcResult.NONE || result == DmarcResult.PERMERROR;
        if ((decided && policy.isEmpty()) || (noRecord && policy.isPresent())) {
            throw new IllegalArgumentException("PASS and FAIL have a policy, NONE and PERMERROR none: " + result);
        }
        if (result != DmarcResult.FAIL && policy.map(AppliedPolicy::disposition).orElse(DmarcPolicy.NONE)
                != DmarcPolicy.NONE) {
            throw new IllegalArgumentException("only a FAIL has a disposition other than none");
        }
        if (result == DmarcResult.PASS && !alignment.passed()) {
            throw new IllegalArgumentException("PASS needs an aligned identifier");
        }
        if (result == DmarcResult.FAIL && alignment.passed()) {
            throw new IllegalArgumentException("FAIL with an aligned identifier");
        }
        if (authorProblem.isPresent() && authorProblem.get().unusable() != authorDomain.isEmpty()) {
            throw new IllegalArgumentException("an unusable From has no author domain, a usable one has one");
        }
    }

    /** What to do with the message per the Domain Owner: NONE unless DMARC failed. */
    public DmarcPolicy disposition() {
        return policy.map(AppliedPolicy::disposition).orElse(DmarcPolicy.NONE);
    }

    public List<ReportUri> rua() {
        return policy.map(AppliedPolicy::rua).orElse(List.of());
    }

    public List<ReportUri> ruf() {
        return policy.map(AppliedPolicy::ruf).orElse(List.of());
    }
}
