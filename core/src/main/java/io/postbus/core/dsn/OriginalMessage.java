package io.postbus.core.dsn;

import java.time.Instant;
import java.util.Objects;

/**
 * The message a report is about: its envelope facts and its bytes.
 *
 * @param queueId     our queue id for it (reported as X-Postbus-Queue-ID)
 * @param sender      the reverse-path; "" for the null sender {@code <>}
 * @param envelopeId  ENVID, xtext decoded; null when not given (RFC 3461 §4.4)
 * @param ret         RET; null when not given (RFC 3461 §4.3)
 * @param arrivalDate when we accepted it (Arrival-Date, RFC 3464 §2.2.5)
 * @param smtpUtf8    it came with SMTPUTF8 (RFC 6531), so its addresses and headers may be UTF-8
 * @param content     the message as received, CRLF line ends
 */
public record OriginalMessage(String queueId, String sender, String envelopeId, ReturnContent ret,
                              Instant arrivalDate, boolean smtpUtf8, byte[] content) {
    public OriginalMessage {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(arrivalDate, "arrivalDate");
        Objects.requireNonNull(content, "content");
        Texts.requireSingleLine(sender, "sender");
        if (envelopeId != null) {
            Texts.requireSingleLine(envelopeId, "ENVID");
        }
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }
}
