package io.postbus.auth.dmarc;

import java.util.Objects;
import java.util.Optional;

/**
 * Which identifiers aligned (RFC 7489 §3.1, §4.2), for the Authentication-Results header and the
 * aggregate report's {@code policy_evaluated}.
 *
 * @param dkim       DKIM's contribution
 * @param dkimDomain the aligned, passing {@code d=} (present exactly when {@code dkim} is PASS)
 * @param spf        SPF's contribution
 * @param spfDomain  the aligned, passing SPF domain (present exactly when {@code spf} is PASS)
 */
public record AlignmentResult(MechanismAlignment dkim, Optional<String> dkimDomain,
                              MechanismAlignment spf, Optional<String> spfDomain) {

    public static final AlignmentResult NOT_EVALUATED = new AlignmentResult(MechanismAlignment.NOT_EVALUATED,
            Optional.empty(), MechanismAlignment.NOT_EVALUATED, Optional.empty());

    public AlignmentResult {
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(spf, "spf");
        if (dkimDomain.isPresent() != (dkim == MechanismAlignment.PASS)
                || spfDomain.isPresent() != (spf == MechanismAlignment.PASS)) {
            throw new IllegalArgumentException("an aligned domain goes with PASS, and only with PASS");
        }
    }

    /** True when DKIM or SPF produced an aligned pass: DMARC passes (RFC 7489 §4.2). */
    public boolean passed() {
        return dkim == MechanismAlignment.PASS || spf == MechanismAlignment.PASS;
    }

    /** True when no aligned pass, but a temporary error on an identifier that would have aligned. */
    public boolean tempError() {
        return !passed() && (dkim == MechanismAlignment.TEMPERROR || spf == MechanismAlignment.TEMPERROR);
    }
}
