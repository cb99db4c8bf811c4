package io.postbus.delivery.mtasts;

import java.util.Objects;

/** What MTA-STS says about a destination right now. */
public sealed interface StsDecision {

    /** A note for logs and events: where the decision came from. */
    String note();

    /** The domain has no MTA-STS policy available: deliver as though it had not implemented it (§3.3). */
    record NoPolicy(String note) implements StsDecision {
        public NoPolicy {
            Objects.requireNonNull(note, "note");
        }
    }

    /**
     * A policy applies.
     *
     * @param id     the TXT record id it was fetched under
     * @param origin whether it was fetched now or came from the cache
     */
    record Applies(StsPolicy policy, String id, Origin origin, String note) implements StsDecision {
        public Applies {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(note, "note");
        }
    }

    enum Origin {
        /** Fetched during this lookup (none cached, expired, or the TXT id changed). */
        FETCHED,
        /** Cached, and the TXT id is unchanged: no fetch. */
        CACHED,
        /**
         * Cached, unexpired, and a refresh was wanted (new TXT id, or no TXT record found) but
         * failed: the cached policy stays in force (§3.3, §5.1).
         */
        CACHED_REFRESH_FAILED
    }
}
