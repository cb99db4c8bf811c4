package io.postbus.core.dsn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a report is sent and to whom: the sender's NOTIFY wishes (RFC 3461 §4.1) and the rule
 * that mail with the null sender is never answered (RFC 5321 §4.5.5), with Postfix's
 * exception for failures: a "double bounce" goes to the postmaster, and a double bounce that fails
 * itself goes nowhere.
 *
 * @param doubleBounceRecipient where failed null-sender mail is reported (Postfix
 *                              2bounce_notice_recipient); null to drop such failures (Postfix without
 *                              2bounce in notify_classes)
 */
public record DsnPolicy(String doubleBounceRecipient) {
    public DsnPolicy {
        if (doubleBounceRecipient != null) {
            Texts.requireSingleLine(doubleBounceRecipient, "double bounce recipient");
            if (doubleBounceRecipient.isEmpty()) {
                throw new IllegalArgumentException("double bounce recipient must be an address, or null for none");
            }
        }
    }

    /** Double bounces go to {@code postmaster@myhostname}. */
    public static DsnPolicy postmasterAt(String myhostname) {
        return new DsnPolicy("postmaster@" + myhostname);
    }

    /** Failed null-sender mail is dropped. */
    public static DsnPolicy dropDoubleBounces() {
        return new DsnPolicy(null);
    }

    /**
     * @param sender    the message's reverse-path, "" for the null sender
     * @param recipient the recipient the report would be about
     */
    public DsnTarget decide(String sender, OriginalRecipient recipient, DsnKind kind) {
        if (recipient.notifyOn().contains(NotifyOn.NEVER)) {
            return DsnTarget.NONE;
        }
        if (!recipient.effectiveNotify().contains(kind.requestedBy())) {
            return DsnTarget.NONE;
        }
        if (!sender.isEmpty()) {
            return DsnTarget.TO_SENDER;
        }
        // Null sender: a report of some kind (or an auto-reply). Only a failure is worth a human's
        // look, and only once: the report about a failed double bounce would fail the same way.
        if (kind != DsnKind.FAILURE || doubleBounceRecipient == null || isDoubleBounceRecipient(recipient.address())) {
            return DsnTarget.NONE;
        }
        return DsnTarget.TO_POSTMASTER;
    }

    /**
     * The one report of {@code kind} for a message's recipients, or empty when no recipient gets one.
     * Recipients whose status is of another kind are an error; those the policy says NONE for are left out.
     *
     * @param queueIds called only when a report is made: its queue id
     */
    public Optional<DsnRequest> plan(OriginalMessage message, DsnKind kind, List<RecipientStatus> statuses,
                                     Supplier<String> queueIds) {
        List<RecipientStatus> covered = new ArrayList<>();
        DsnTarget target = DsnTarget.NONE;
        for (RecipientStatus s : statuses) {
            if (s.action().kind() != kind) {
                throw new IllegalArgumentException("Action: " + s.action().keyword() + " in a " + kind + " plan");
            }
            DsnTarget t = decide(message.sender(), s.recipient(), kind);
            if (t != DsnTarget.NONE) {
                covered.add(s);
                target = t; // all recipients share the sender, so every non-NONE answer is the same
            }
        }
        if (covered.isEmpty()) {
            return Optional.empty();
        }
        String to = target == DsnTarget.TO_SENDER ? message.sender() : doubleBounceRecipient;
        return Optional.of(new DsnRequest(queueIds.get(), kind, target, to, message, covered));
    }

    private boolean isDoubleBounceRecipient(String address) {
        return address.toLowerCase(Locale.ROOT).equals(doubleBounceRecipient.toLowerCase(Locale.ROOT));
    }
}
