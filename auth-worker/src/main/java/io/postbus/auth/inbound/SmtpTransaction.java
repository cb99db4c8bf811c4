package io.postbus.auth.inbound;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What the SMTP conversation told us about a message, as the checks need it: SPF checks the client
 * address against the HELO name and the reverse-path (RFC 7208 §2.3, §2.4).
 *
 * @param clientAddress the connecting client (after any PROXY header)
 * @param helo          the HELO/EHLO argument, "" when none was given
 * @param mailFrom      the reverse-path without angle brackets, "" for the null reverse-path
 */
public record SmtpTransaction(InetAddress clientAddress, String helo, String mailFrom) {
    public SmtpTransaction {
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(mailFrom, "mailFrom");
    }

    /** The address as text, for smtp.remote-ip and comments. */
    public String clientIp() {
        return clientAddress.getHostAddress();
    }
}
