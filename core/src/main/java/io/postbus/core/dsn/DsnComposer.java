package io.postbus.core.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Writes delivery status notifications: RFC 6522 {@code multipart/report;
 * report-type=delivery-status} with a text part for people, an RFC 3464
 * {@code message/delivery-status} part for programs, and the returned message or its headers.
 *
 * <p>Everything the composer writes is 7-bit ASCII; only the returned content may be 8-bit, and
 * then that part and the multipart carry {@code Content-Transfer-Encoding: 8bit} and the result asks
 * for BODY=8BITMIME. When an address is not ASCII (SMTPUTF8 mail, RFC 6531) the report becomes an
 * RFC 6533 one — {@code message/global-delivery-status} with the utf-8 address type, the content as
 * {@code message/global} — and the result asks for SMTPUTF8.
 *
 * <p>Headers: {@code From: MAILER-DAEMON@myhostname}, {@code Auto-Submitted: auto-replied}
 * (RFC 3834 §5), a fresh Message-ID built from the report's queue id, and a Date from the clock.
 */
public final class DsnComposer {
    /** Postfix's bounce_size_limit default. */
    public static final int DEFAULT_SIZE_LIMIT = 50_000;
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final String myhostname;
    private final int sizeLimit;
    private final Clock clock;

    /**
     * @param myhostname the Reporting-MTA and the domain of MAILER-DAEMON (Postfix myhostname)
     * @param sizeLimit  largest message returned whole (Postfix bounce_size_limit); larger ones
     *                   come back as headers
     */
    public DsnComposer(String myhostname, int sizeLimit, Clock clock) {
        Objects.requireNonNull(myhostname, "myhostname");
        if (!myhostname.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("myhostname must be a host name: " + myhostname);
        }
        if (sizeLimit < 0) {
            throw new IllegalArgumentException("size limit must be >= 0: " + sizeLimit);
        }
        this.myhostname = myhostname;
        this.sizeLimit = sizeLimit;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DsnMessage compose(DsnRequest r) {
        Instant now = clock.instant();
        OriginalMessage m = r.original();
        boolean global = needsUtf8(r);
        ReturnedContent returned = ReturnedContent.select(r.kind(), m.ret(), m.content(), sizeLimit, global);
        boolean eightBit = global || returned.eightBit();

        String human = HumanReadableText.render(r, myhostname, now, returned, sizeLimit, global);
        String status = new DeliveryStatusFields(myhostname, clock.getZone(), global).render(r);
        String boundary = boundary(r.queueId(), now, human, status, returned.body());
        String messageId = "<" + ID_TIME.format(now.atOffset(ZoneOffset.UTC)) + "." + r.queueId() + "@" + myhostname + ">";

        StringBuilder head = new StringBuilder();
        head.append(Texts.field("Date", Texts.date(now.atZone(clock.getZone()))));
        head.append("From: Mail Delivery System <MAILER-DAEMON@").append(myhostname).append(">\r\n");
        head.append("To: ").append(Texts.oneLine(r.notifyAddress(), global)).append("\r\n");
        head.append(Texts.field("Subject", HumanReadableText.subject(r)));
        head.append("Message-ID: ").append(messageId).append("\r\n");
        head.append("Auto-Submitted: auto-replied\r\n");
        head.append("MIME-Version: 1.0\r\n");
        head.append("Content-Type: multipart/report; report-type=").append(global ? "global-delivery-status" : "delivery-status")
                .append(";\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        if (eightBit) {
            head.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        head.append("\r\nThis is a MIME-encapsulated message.\r\n\r\n");

        head.append("--").append(boundary).append("\r\n");
        head.append("Content-Description: Notification\r\n");
        head.append("Content-Type: text/plain; charset=").append(global ? "utf-8" : "us-ascii").append("\r\n");
        if (global) {
            head.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        head.append("\r\n").append(human);

        head.append("--").append(boundary).append("\r\n");
        head.append("Content-Description: Delivery report\r\n");
        head.append("Content-Type: ").append(global ? "message/global-delivery-status" : "message/delivery-status").append("\r\n");
        if (global) {
            head.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        head.append("\r\n").append(status).append("\r\n");

        head.append("--").append(boundary).append("\r\n");
        head.append("Content-Description: ").append(returned.mediaType().endsWith("headers") ? "Message Headers" : "Returned Message")
                .append("\r\n");
        head.append("Content-Type: ").append(returned.mediaType()).append("\r\n");
        if (returned.eightBit()) {
            head.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        head.append("\r\n");

        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + returned.body().length + 100);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(returned.body());
        // The CRLF before the closing delimiter belongs to the delimiter (RFC 2046 §5.1.1): the
        // returned content keeps its own final CRLF.
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new DsnMessage(r.queueId(), messageId, r.notifyAddress(), r.kind(), r.target(), eightBit, global, out.toByteArray());
    }

    /** A report is an RFC 6533 (UTF-8) one when an address it names cannot be written in ASCII. */
    private static boolean needsUtf8(DsnRequest r) {
        if (!Texts.isAscii(r.notifyAddress()) || !Texts.isAscii(r.original().sender())) {
            return true;
        }
        for (RecipientStatus s : r.recipients()) {
            String orcpt = s.recipient().originalRecipient();
            if (!Texts.isAscii(s.recipient().address()) || (orcpt != null && !Texts.isAscii(orcpt))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Postfix's boundary shape, queue id.time/host, lengthened until no part contains it
     * (RFC 2046 §5.1.1: the boundary must not occur in the encapsulated text) and kept within 70 characters.
     */
    private String boundary(String queueId, Instant now, String human, String status, byte[] returned) {
        String base = queueId + "." + now.getEpochSecond() + "/" + myhostname;
        if (base.length() > 60) {
            base = base.substring(0, 60);
        }
        String returnedText = new String(returned, StandardCharsets.ISO_8859_1);
        String candidate = base;
        for (int n = 1; contains(human, status, returnedText, "--" + candidate); n++) {
            candidate = base + "." + n;
        }
        return candidate;
    }

    private static boolean contains(String a, String b, String c, String needle) {
        return a.contains(needle) || b.contains(needle) || c.contains(needle);
    }
}
