package io.postbus.core.dsn;

import java.util.List;
import java.util.Objects;

/**
 * One report to compose: about one message, of one kind, for the recipients it covers.
 *
 * @param queueId  the report's own queue id (it becomes a message of its own)
 * @param notifyAddress the address the report is sent to: the sender, or the postmaster for a double bounce
 */
public record DsnRequest(String queueId, DsnKind kind, DsnTarget target, String notifyAddress, OriginalMessage original,
                         List<RecipientStatus> recipients) {
    public DsnRequest {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(notifyAddress, "notifyAddress");
        Objects.requireNonNull(original, "original");
        Texts.requireSingleLine(notifyAddress, "notify address");
        Texts.requireSingleLine(queueId, "queue id");
        if (target == DsnTarget.NONE) {
            throw new IllegalArgumentException("a report with target NONE is not sent");
        }
        if (notifyAddress.isEmpty()) {
            throw new IllegalArgumentException("a report needs an address to go to; never the null sender");
        }
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a report covers at least one recipient");
        }
        for (RecipientStatus r : recipients) {
            if (r.action().kind() != kind) {
                throw new IllegalArgumentException("Action: " + r.action().keyword() + " does not belong in a " + kind + " report");
            }
        }
    }
}
