package io.postbus.core.dsn;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The machine-readable part (RFC 3464 §2): one per-message block, then one block per recipient,
 * blocks separated by a blank line, fields in the order of the §2.2 and §2.3 grammar.
 */
final class DeliveryStatusFields {
    private final String reportingMta;
    private final ZoneId zone;
    private final boolean utf8;

    /** @param utf8 the part is message/global-delivery-status (RFC 6533): UTF-8 is allowed in it */
    DeliveryStatusFields(String reportingMta, ZoneId zone, boolean utf8) {
        this.reportingMta = reportingMta;
        this.zone = zone;
        this.utf8 = utf8;
    }

    String render(DsnRequest request) {
        OriginalMessage m = request.original();
        StringBuilder b = new StringBuilder();
        if (m.envelopeId() != null) {
            // ENVID is printable ASCII by RFC 3461 §4.4; anything else is replaced, never passed raw.
            b.append(Texts.field("Original-Envelope-Id", Texts.oneLine(m.envelopeId(), false)));
        }
        b.append(Texts.field("Reporting-MTA", "dns; " + reportingMta));
        // Extension fields (RFC 3464 §2.4): which of our messages this is, for operators and tools.
        b.append(Texts.field("X-Postbus-Queue-ID", m.queueId()));
        if (!m.hasNullSender()) {
            b.append(Texts.field("X-Postbus-Sender", address(m.sender())));
        }
        b.append(Texts.field("Arrival-Date", date(m.arrivalDate())));
        for (RecipientStatus r : request.recipients()) {
            b.append(Texts.CRLF);
            recipient(b, r);
        }
        return b.toString();
    }

    private void recipient(StringBuilder b, RecipientStatus r) {
        String orcpt = r.recipient().originalRecipient();
        if (orcpt != null) {
            b.append(Texts.field("Original-Recipient", originalRecipient(orcpt)));
        }
        b.append(Texts.field("Final-Recipient", address(r.recipient().address())));
        b.append(Texts.field("Action", r.action().keyword()));
        b.append(Texts.field("Status", r.status()));
        if (r.remoteMta() != null) {
            b.append(Texts.field("Remote-MTA", "dns; " + Texts.oneLine(r.remoteMta(), false)));
        }
        if (r.diagnostic() != null && !r.diagnostic().isBlank()) {
            // smtp: the remote server's own reply (RFC 3464 §2.3.6); otherwise the reason is ours,
            // reported under our own diagnostic type as Postfix does with X-Postfix.
            String type = r.remoteMta() != null ? "smtp" : "X-Postbus";
            b.append(Texts.field("Diagnostic-Code", type + "; " + Texts.oneLine(r.diagnostic(), utf8)));
        }
        b.append(Texts.field("Last-Attempt-Date", date(r.lastAttempt())));
        if (r.willRetryUntil() != null) {
            b.append(Texts.field("Will-Retry-Until", date(r.willRetryUntil())));
        }
    }

    /**
     * {@code rfc822; address}; an address with non-ASCII characters gets the utf-8 address type
     * (RFC 6533 §3), raw in a global report and as utf-8-addr-xtext in an ASCII one.
     */
    private String address(String address) {
        if (Texts.isAscii(address)) {
            return "rfc822; " + Texts.oneLine(address, false);
        }
        return "utf-8; " + (utf8 ? Texts.oneLine(address, true) : Utf8AddrXtext.encode(address));
    }

    /** ORCPT keeps the sender's address type (RFC 3461 §4.2), xtext already decoded. */
    private String originalRecipient(String orcpt) {
        int semi = orcpt.indexOf(';');
        String type = orcpt.substring(0, semi).strip();
        String value = orcpt.substring(semi + 1).strip();
        if (Texts.isAscii(value)) {
            return type + "; " + Texts.oneLine(value, false);
        }
        return "utf-8; " + (utf8 ? Texts.oneLine(value, true) : Utf8AddrXtext.encode(value));
    }

    private String date(Instant t) {
        return Texts.date(t.atZone(zone));
    }
}
