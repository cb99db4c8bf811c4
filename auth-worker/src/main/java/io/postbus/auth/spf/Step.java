package io.postbus.auth.spf;

import java.util.Objects;

/** How evaluating one term ended: it matched, it did not, or check_host() stops with an error (RFC 7208 §4.6.2). */
sealed interface Step {

    Step MATCH = new Matched(true);
    Step NO_MATCH = new Matched(false);

    record Matched(boolean matched) implements Step {}

    /** A temperror or permerror that ends the whole evaluation, include and redirect chains too. */
    record Halted(SpfResult result, String reason) implements Step {
        public Halted {
            Objects.requireNonNull(reason, "reason");
            if (!result.isError()) {
                throw new IllegalArgumentException("only an error halts evaluation, not " + result);
            }
        }
    }

    static Halted permerror(String reason) {
        return new Halted(SpfResult.PERMERROR, reason);
    }

    static Halted temperror(String reason) {
        return new Halted(SpfResult.TEMPERROR, reason);
    }
}
