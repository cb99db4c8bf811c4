package io.postbus.core.dsn;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What happened to one recipient: one per-recipient block of the report (RFC 3464 §2.3).
 *
 * @param recipient      the recipient and its DSN parameters
 * @param action         the Action field
 * @param status         the RFC 3463 status code, e.g. "5.1.1"
 * @param remoteMta      the server that answered (Remote-MTA); null when none did (DNS failure,
 *                       null MX, connection refused): the diagnostic is then ours, not a reply
 * @param remoteAddress  its IP address, for the human-readable text only; may be null
 * @param diagnostic     the reply (code, enhanced code and text, on one line) or our own reason;
 *                       may be null for a successful delivery
 * @param lastAttempt    when we last tried (Last-Attempt-Date)
 * @param willRetryUntil until when retries go on (Will-Retry-Until); only for delayed
 */
public record RecipientStatus(OriginalRecipient recipient, DsnAction action, String status, String remoteMta,
                              String remoteAddress, String diagnostic, Instant lastAttempt, Instant willRetryUntil) {
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public RecipientStatus {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("status must be an RFC 3463 code class.subject.detail: " + status);
        }
        if (!action.allowsStatusClass(status.charAt(0))) {
            throw new IllegalArgumentException("status " + status + " does not fit Action: " + action.keyword());
        }
        if (action == DsnAction.DELAYED) {
            Objects.requireNonNull(willRetryUntil, "willRetryUntil is required for a delayed recipient");
        } else if (willRetryUntil != null) {
            throw new IllegalArgumentException("Will-Retry-Until belongs to delayed recipients only (RFC 3464 §2.3.8)");
        }
        if (remoteMta != null) {
            Texts.requireSingleLine(remoteMta, "remote MTA");
        }
    }
}
