package io.postbus.core.address;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An SMTP reply as a value: the code (RFC 5321 §4.2), the enhanced status code (RFC 3463) and the
 * text. The enhanced code's class must agree with the reply code's first digit (RFC 2034 §4), and
 * the text may not contain CR or LF, so no reply built here can inject a line into a session.
 */
public record SmtpReply(int code, String enhancedStatus, String text) {
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
        Objects.requireNonNull(text, "text");
        if (!ENHANCED.matcher(enhancedStatus).matches() || enhancedStatus.charAt(0) - '0' != code / 100) {
            throw new IllegalArgumentException("enhanced status " + enhancedStatus + " does not fit reply code " + code);
        }
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("CR or LF in reply text");
        }
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The reply line without CRLF, e.g. {@code 550 5.1.1 <a@b>: Recipient address rejected: ...}. */
    @Override
    public String toString() {
        return code + " " + enhancedStatus + " " + text;
    }
}
