package io.postbus.core.dsn;

import java.util.Objects;

/**
 * A composed report, ready to be queued as a new message with the null reverse-path.
 *
 * @param recipient  the forward-path to send it to
 * @param eightBit   the body holds 8-bit text (returned content): submit with BODY=8BITMIME
 * @param smtpUtf8   addresses or headers are UTF-8 (RFC 6533 message/global-delivery-status):
 *                   submit with SMTPUTF8
 * @param content    RFC 5322 message, CRLF line ends
 */
public record DsnMessage(String queueId, String messageId, String recipient, DsnKind kind, DsnTarget target,
                         boolean eightBit, boolean smtpUtf8, byte[] content) {
    public DsnMessage {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
    }

    /** The reverse-path of every report: null, so that a report is never answered by another (RFC 5321 §4.5.5). */
    public String sender() {
        return "";
    }
}
