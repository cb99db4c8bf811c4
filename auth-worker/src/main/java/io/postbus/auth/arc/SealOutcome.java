package io.postbus.auth.arc;

import java.util.Objects;

/** What {@link ArcSealer#seal} did: a new ARC Set, or a reason, from RFC 8617 §5.1, for adding none. */
public sealed interface SealOutcome {

    record Sealed(ArcSetHeaders headers) implements SealOutcome {
        public Sealed {
            Objects.requireNonNull(headers, "headers");
        }
    }

    record NotSealed(Reason reason, String detail) implements SealOutcome {
        public NotSealed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    enum Reason {
        /** §5.1 step 1: the newest ARC-Seal already says cv=fail; the chain is over, add nothing. */
        CHAIN_ALREADY_FAILED,
        /** §4.2.1: the next instance would be above 50. */
        INSTANCE_LIMIT,
        /**
         * The incoming chain could not be validated because DNS failed. Sealing cv=fail would end the chain
         * for good over a passing outage, so no set is added; the caller may defer and try again.
         */
        VALIDATION_TEMPORARILY_FAILED
    }
}
