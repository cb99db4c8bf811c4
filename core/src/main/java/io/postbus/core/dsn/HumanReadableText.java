package io.postbus.core.dsn;

import java.time.Duration;
import java.time.Instant;

/**
 * The first part of a report, for people (RFC 6522 §3): Postfix's layout — who is writing, what
 * happened, whom to ask, then one paragraph per recipient — in our own words.
 */
final class HumanReadableText {
    private static final String SIGNATURE = "                   The mail system";
    private static final int WIDTH = 72;

    private HumanReadableText() {}

    static String subject(DsnRequest r) {
        if (r.target() == DsnTarget.TO_POSTMASTER) {
            return "Postmaster Copy: Undelivered Mail";
        }
        return switch (r.kind()) {
            case FAILURE -> "Undelivered Mail Returned to Sender";
            case DELAY -> "Delayed Mail (still being retried)";
            case SUCCESS -> "Successful Mail Delivery Report";
        };
    }

    static String render(DsnRequest r, String myhostname, Instant now, ReturnedContent returned, int sizeLimit,
                         boolean utf8) {
        StringBuilder b = new StringBuilder();
        b.append("This is the mail system at host ").append(myhostname).append(".\r\n\r\n");
        switch (r.kind()) {
            case FAILURE -> failure(b, r);
            case DELAY -> delay(b, r, now);
            case SUCCESS -> success(b);
        }
        if (returned.cutForSize()) {
            paragraph(b, "The message was larger than " + sizeLimit + " bytes (or could not be carried"
                    + " as MIME text), so only its headers are returned.");
        }
        if (r.kind() != DsnKind.SUCCESS) {
            paragraph(b, "For further assistance, please send mail to postmaster. If you do, please include"
                    + " this report; you can delete your own text from the returned message.");
        }
        b.append(SIGNATURE).append("\r\n\r\n");
        for (RecipientStatus s : r.recipients()) {
            b.append(Texts.wrap(line(s, utf8), WIDTH, "    ")).append("\r\n\r\n");
        }
        return b.toString();
    }

    private static void failure(StringBuilder b, DsnRequest r) {
        if (r.target() == DsnTarget.TO_POSTMASTER) {
            paragraph(b, "A message with the null sender (a delivery report or other automatic notification)"
                    + " could not be delivered. There is no sender to return it to, so it comes to the"
                    + " postmaster. It is attached below.");
        } else {
            paragraph(b, "Your message could not be delivered to one or more recipients. The reasons are"
                    + " listed below, and the message is returned with this report.");
        }
    }

    private static void delay(StringBuilder b, DsnRequest r, Instant now) {
        b.append("####################################################################\r\n");
        b.append("# THIS IS A WARNING ONLY. YOU DO NOT NEED TO RESEND YOUR MESSAGE.  #\r\n");
        b.append("####################################################################\r\n\r\n");
        Instant arrival = r.original().arrivalDate();
        Instant until = r.recipients().get(0).willRetryUntil();
        paragraph(b, "Your message could not be delivered for " + Texts.duration(Duration.between(arrival, now))
                + ". The mail system will keep trying until it is " + Texts.duration(Duration.between(arrival, until))
                + " old; you will hear again only if it gives up.");
    }

    private static void success(StringBuilder b) {
        paragraph(b, "Your message was delivered to the recipients listed below, or handed on to a mail"
                + " system that does not send delivery reports (\"relayed\"). In that case you may still"
                + " hear about delivery problems from other systems.");
    }

    /** {@code <rcpt> (expanded from <orcpt>): host mx[192.0.2.1] said: 550 5.1.1 ...} */
    private static String line(RecipientStatus s, boolean utf8) {
        StringBuilder b = new StringBuilder("<").append(Texts.oneLine(s.recipient().address(), utf8)).append('>');
        String orcpt = s.recipient().originalRecipient();
        if (orcpt != null) {
            String original = orcpt.substring(orcpt.indexOf(';') + 1).strip();
            if (!original.equalsIgnoreCase(s.recipient().address())) {
                b.append(" (expanded from <").append(Texts.oneLine(original, utf8)).append(">)");
            }
        }
        b.append(':');
        if (s.remoteMta() != null) {
            b.append(" host ").append(Texts.oneLine(s.remoteMta(), false));
            if (s.remoteAddress() != null) {
                b.append('[').append(Texts.oneLine(s.remoteAddress(), false)).append(']');
            }
            b.append(" said:");
        }
        String reason = s.diagnostic() == null || s.diagnostic().isBlank()
                ? s.action().keyword() + " (" + s.status() + ")" : Texts.oneLine(s.diagnostic(), utf8);
        return b.append(' ').append(reason).toString();
    }

    private static void paragraph(StringBuilder b, String text) {
        b.append(Texts.wrap(text, WIDTH, "")).append("\r\n\r\n");
    }
}
