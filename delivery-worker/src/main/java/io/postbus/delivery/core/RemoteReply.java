package io.postbus.delivery.core;

import java.util.regex.Pattern;

/** The reply that decided a recipient's outcome, or a local description when no reply came. */
public record RemoteReply(int code, String enhancedStatus, String text) {
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public boolean isPermanent() {
        return code >= 500;
    }

    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    /**
     * The RFC 3463 status for a DSN: the server's enhanced code when it is well formed and agrees
     * with the reply code's class, otherwise the class alone, as Postfix derives it (550 → 5.0.0).
     */
    public String dsnStatus() {
        char cls = (char) ('0' + code / 100);
        if (enhancedStatus != null && ENHANCED.matcher(enhancedStatus).matches() && enhancedStatus.charAt(0) == cls) {
            return enhancedStatus;
        }
        return cls + ".0.0";
    }

    /**
     * On one line, "550 5.1.1 user unknown". A server's text already starts with its enhanced code
     * (the SMTP client keeps the text as written); a reply we made up does not, so it is added.
     */
    @Override
    public String toString() {
        boolean hasCode = enhancedStatus == null || text.startsWith(enhancedStatus);
        return code + (hasCode ? "" : " " + enhancedStatus) + " " + text;
    }
}
