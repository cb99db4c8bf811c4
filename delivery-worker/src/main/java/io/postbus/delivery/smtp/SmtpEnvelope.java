package io.postbus.delivery.smtp;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The envelope of one SMTP transaction: the reverse-path and the forward-paths, without angle
 * brackets. The sender is "" for the null reverse-path of bounces (RFC 5321 §4.5.5).
 *
 * @param body the body type the message was received with (its MAIL FROM BODY= parameter)
 * @param dsn  the RFC 3461 parameters it was received with, sent on where the server offers DSN
 */
public record SmtpEnvelope(String sender, List<String> recipients, Body body, DsnParameters dsn) {

    /**
     * The BODY= of MAIL FROM. SEVEN_BIT also stands for "none given": 8-bit octets in such a
     * message still get BODY=8BITMIME where offered. BINARY_MIME (RFC 3030 §3) may hold bare CR
     * and LF and long lines, so it can only go by BDAT to a server offering BINARYMIME.
     */
    public enum Body { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    public SmtpEnvelope {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(dsn, "dsn");
        checkPath(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        for (String r : recipients) {
            if (r.isEmpty()) {
                throw new IllegalArgumentException("empty recipient");
            }
            checkPath(r, "recipient");
        }
        if (new HashSet<>(recipients).size() != recipients.size()) {
            // Per-recipient results are matched by address; a duplicate would be ambiguous.
            throw new IllegalArgumentException("duplicate recipient in " + recipients);
        }
    }

    /** An envelope without a declared body type (SEVEN_BIT) and without DSN parameters. */
    public SmtpEnvelope(String sender, List<String> recipients) {
        this(sender, recipients, Body.SEVEN_BIT);
    }

    /** An envelope without DSN parameters. */
    public SmtpEnvelope(String sender, List<String> recipients, Body body) {
        this(sender, recipients, body, DsnParameters.NONE);
    }

    public static SmtpEnvelope of(String sender, String... recipients) {
        return new SmtpEnvelope(sender, List.of(recipients));
    }

    public SmtpEnvelope withBody(Body newBody) {
        return new SmtpEnvelope(sender, recipients, newBody, dsn);
    }

    public SmtpEnvelope withDsn(DsnParameters newDsn) {
        return new SmtpEnvelope(sender, recipients, body, newDsn);
    }

    /** True when an address has non-ASCII characters and so needs SMTPUTF8 (RFC 6531 §3.4). */
    public boolean needsSmtpUtf8() {
        return !isAscii(sender) || recipients.stream().anyMatch(r -> !isAscii(r));
    }

    /**
     * Paths go into MAIL and RCPT verbatim: no CR/LF or other controls (command injection), no
     * angle brackets, and a space only inside a quoted local part ("john doe"@example.com).
     */
    private static void checkPath(String path, String what) {
        boolean quoted = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '"' && (i == 0 || path.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c < ' ' || c == 127 || c == '<' || c == '>' || (c == ' ' && !quoted)) {
                throw new IllegalArgumentException(what + " contains a forbidden character at " + i + ": "
                        + path.replace("\r", "\\r").replace("\n", "\\n"));
            }
        }
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }
}
