package io.postbus.core.dsn;

import java.util.Locale;

/** The Action field of a per-recipient block (RFC 3464 §2.3.3). */
public enum DsnAction {
    /** Could not be delivered and will not be retried. */
    FAILED('4', '5'),
    /** Not delivered yet; retries go on. */
    DELAYED('4'),
    /** Delivered to the recipient's mailbox (LMTP, Maildir). */
    DELIVERED('2'),
    /**
     * Handed over to a server that was not asked for DSNs, so no further report will come from there
     * (RFC 3461 §5.2.2): what an SMTP hop without the DSN parameters gives.
     */
    RELAYED('2'),
    /** Delivered to an alias or list that turned it into several recipients. */
    EXPANDED('2');

    private final String statusClasses;

    DsnAction(char... classes) {
        this.statusClasses = new String(classes);
    }

    /** The field value: "failed", "delayed", ... */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a status of class {@code c} fits this action: 2 for success, 4 for delayed, 4 or 5 for
     * failed (a message that expired after transient failures keeps its last 4.x.x status, as Postfix does).
     */
    public boolean allowsStatusClass(char c) {
        return statusClasses.indexOf(c) >= 0;
    }

    /** The kind of report this action belongs in. */
    public DsnKind kind() {
        return switch (this) {
            case FAILED -> DsnKind.FAILURE;
            case DELAYED -> DsnKind.DELAY;
            default -> DsnKind.SUCCESS;
        };
    }
}
