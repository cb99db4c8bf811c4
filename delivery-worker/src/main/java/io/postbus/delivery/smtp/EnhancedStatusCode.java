package io.postbus.delivery.smtp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An enhanced mail system status code, {@code class.subject.detail} (RFC 3463 §2), such as 5.1.1
 * (bad destination mailbox) or 4.4.3 (directory server failure). Servers that advertise
 * ENHANCEDSTATUSCODES put one at the start of each reply line (RFC 2034 §4).
 */
public record EnhancedStatusCode(int statusClass, int subject, int detail) {

    // RFC 3463 §2: class is 2, 4 or 5; subject and detail are 1 to 3 digits.
    private static final Pattern CODE = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    public EnhancedStatusCode {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5: " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("enhanced status subject/detail out of range: "
                    + subject + "." + detail);
        }
    }

    /** Parses "5.1.1"; throws IllegalArgumentException for anything else. */
    public static EnhancedStatusCode of(String code) {
        return fromTextStart(code).orElseThrow(() ->
                new IllegalArgumentException("not an enhanced status code: " + code));
    }

    /** The code at the start of a reply's text, if the text starts with one followed by a space or the end. */
    public static Optional<EnhancedStatusCode> fromTextStart(String text) {
        Matcher m = CODE.matcher(text);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatusCode(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    public boolean isTransient() {
        return statusClass == 4;
    }

    public boolean isPermanent() {
        return statusClass == 5;
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
