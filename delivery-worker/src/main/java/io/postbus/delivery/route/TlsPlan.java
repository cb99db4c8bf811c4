package io.postbus.delivery.route;

import io.postbus.delivery.mtasts.StsDecision;
import io.postbus.delivery.mtasts.StsPolicy;
import io.postbus.delivery.smtp.TlsPolicy;
import java.util.Objects;
import java.util.Optional;

/** The TLS a next hop gets in this attempt, and why. */
public sealed interface TlsPlan {

    /**
     * @param level  the level for every host of the hop
     * @param origin where the level came from ("default", "policy map ...", "MTA-STS enforce ...")
     * @param sts    the MTA-STS decision when one was looked up (enforce or testing decides hosts)
     */
    record Use(TlsPolicy level, String origin, Optional<StsDecision> sts) implements TlsPlan {
        public Use {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(sts, "sts");
        }

        /** The policy that applies, if any, in the given mode. */
        public Optional<StsPolicy> stsPolicy(StsPolicy.Mode mode) {
            return sts.filter(StsDecision.Applies.class::isInstance).map(d -> ((StsDecision.Applies) d).policy())
                    .filter(p -> p.mode() == mode);
        }

        /** For the event detail: "policy verify (MTA-STS enforce, fetched policy id 1)". */
        public String describe() {
            return "TLS policy " + level.postfixName() + " (" + origin + ")";
        }
    }

    /** The policy map holds an entry Postbus cannot honour: defer rather than guess. */
    record Misconfigured(String detail) implements TlsPlan {
        public Misconfigured {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
