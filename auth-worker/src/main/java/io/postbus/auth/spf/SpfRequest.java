package io.postbus.auth.spf;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What the SMTP session tells SPF about one transaction.
 *
 * @param clientIp the connecting address; an IPv4-mapped IPv6 address counts as IPv4 (RFC 7208 §5)
 * @param helo     the HELO/EHLO argument as the client sent it (may be an address literal or junk)
 * @param mailFrom the reverse-path without angle brackets; empty for the null reverse-path "&lt;&gt;"
 *                 (surrounding brackets, if given, are removed)
 */
public record SpfRequest(InetAddress clientIp, String helo, String mailFrom) {

    public SpfRequest {
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(mailFrom, "mailFrom");
        if (hasLineBreakOrNul(helo) || hasLineBreakOrNul(mailFrom)) {
            throw new IllegalArgumentException("CR, LF or NUL in an SMTP parameter");
        }
        if (mailFrom.length() >= 2 && mailFrom.startsWith("<") && mailFrom.endsWith(">")) {
            mailFrom = mailFrom.substring(1, mailFrom.length() - 1);
        }
    }

    /** RFC 5321 §4.5.5: the null reverse-path, used for bounces; SPF then checks postmaster@HELO (§2.4). */
    public boolean nullReversePath() {
        return mailFrom.isEmpty();
    }

    private static boolean hasLineBreakOrNul(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0;
    }
}
