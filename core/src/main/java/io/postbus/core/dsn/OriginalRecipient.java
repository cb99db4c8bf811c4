package io.postbus.core.dsn;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A recipient as the sender gave it in RCPT TO, with its DSN parameters.
 *
 * @param address           the forward-path (this is what Final-Recipient reports)
 * @param notifyOn          NOTIFY keywords; empty when the parameter was not given (RFC 3461 §4.1)
 * @param originalRecipient ORCPT as {@code addr-type;address}, xtext already decoded; null when not given
 */
public record OriginalRecipient(String address, Set<NotifyOn> notifyOn, String originalRecipient) {
    public OriginalRecipient {
        Objects.requireNonNull(address, "address");
        Texts.requireSingleLine(address, "recipient address");
        notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
        if (notifyOn.contains(NotifyOn.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other keywords (RFC 3461 §4.1)");
        }
        if (originalRecipient != null) {
            Texts.requireSingleLine(originalRecipient, "ORCPT");
            if (originalRecipient.indexOf(';') <= 0) {
                throw new IllegalArgumentException("ORCPT must be addr-type;address (RFC 3461 §4.2): " + originalRecipient);
            }
        }
    }

    public static OriginalRecipient of(String address) {
        return new OriginalRecipient(address, Set.of(), null);
    }

    /**
     * What the sender asked to hear about: NOTIFY as given, or FAILURE and DELAY when it was not
     * given (RFC 3461 §4.1: "the absence of a NOTIFY parameter ... as if NOTIFY=FAILURE,DELAY").
     */
    public Set<NotifyOn> effectiveNotify() {
        return notifyOn.isEmpty() ? Set.of(NotifyOn.FAILURE, NotifyOn.DELAY) : notifyOn;
    }
}
