package io.postbus.auth.dmarc;

import java.util.Objects;

/**
 * The receiver's own choices for DMARC outcomes (RFC 7489 §6.7: the Domain Owner requests, the
 * receiver decides). The default is cautious, like OpenDMARC's {@code RejectFailures false}: no
 * message is lost or bounced because of DMARC alone.
 *
 * @param onQuarantine   a DMARC fail whose disposition is quarantine
 * @param onReject       a DMARC fail whose disposition is reject
 * @param onUnusableFrom a permerror because the From field gives no single usable author (none, several
 *                       From fields, bad syntax); OpenDMARC rejects multi-From messages outright
 * @param onTempError    a temperror (DNS failure for the policy, or a temporary error on an identifier
 *                       that would have aligned); RFC 7489 §6.6.3 leaves it to the receiver
 */
public record DmarcLocalPolicy(QuarantineHandling onQuarantine, RejectHandling onReject,
                               DmarcAction onUnusableFrom, DmarcAction onTempError) {

    /** The choices for p=quarantine. */
    public enum QuarantineHandling {
        QUARANTINE(DmarcAction.QUARANTINE), SPAM_FLAG(DmarcAction.SPAM_FLAG);

        private final DmarcAction action;

        QuarantineHandling(DmarcAction action) {
            this.action = action;
        }

        public DmarcAction action() {
            return action;
        }
    }

    /** The choices for p=reject. */
    public enum RejectHandling {
        QUARANTINE(DmarcAction.QUARANTINE), DISCARD(DmarcAction.DISCARD), REJECT(DmarcAction.REJECT);

        private final DmarcAction action;

        RejectHandling(DmarcAction action) {
            this.action = action;
        }

        public DmarcAction action() {
            return action;
        }
    }

    public DmarcLocalPolicy {
        Objects.requireNonNull(onQuarantine, "onQuarantine");
        Objects.requireNonNull(onReject, "onReject");
        Objects.requireNonNull(onUnusableFrom, "onUnusableFrom");
        Objects.requireNonNull(onTempError, "onTempError");
        if (onTempError != DmarcAction.ACCEPT && onTempError != DmarcAction.SPAM_FLAG
                && onTempError != DmarcAction.QUARANTINE) {
            throw new IllegalArgumentException("a temporary error must not lose the message: " + onTempError);
        }
    }

    /**
     * p=quarantine → spam folder, p=reject → quarantine topic, unusable From → spam flag,
     * temperror → accept (fail open).
     */
    public static DmarcLocalPolicy cautious() {
        return new DmarcLocalPolicy(QuarantineHandling.SPAM_FLAG, RejectHandling.QUARANTINE, DmarcAction.SPAM_FLAG,
                DmarcAction.ACCEPT);
    }

    /** The action for {@code outcome}. Pure. */
    public DmarcAction actionFor(DmarcOutcome outcome) {
        switch (outcome.result()) {
            case FAIL:
                switch (outcome.disposition()) {
                    case REJECT: return onReject.action();
                    case QUARANTINE: return onQuarantine.action();
                    default: return DmarcAction.ACCEPT;
                }
            case TEMPERROR:
                return onTempError;
            case PERMERROR:
                return outcome.authorProblem().filter(AuthorProblem::unusable).isPresent() ? onUnusableFrom
                        : DmarcAction.ACCEPT;
            default:
                return DmarcAction.ACCEPT;
        }
    }
}
