package io.postbus.ingress.smtp;

/**
 * Per-listener session policy.
 *
 * @param hostname        our name in the greeting, EHLO and Received
 * @param kind            which port this is
 * @param maxMessageSize  SIZE we advertise and enforce (Postfix message_size_limit)
 * @param maxRecipients   per message (Postfix smtpd_recipient_limit)
 * @param maxErrors       errors before we disconnect (Postfix smtpd_hard_error_limit)
 * @param tlsAvailable    whether STARTTLS can be offered (a certificate is configured)
 * @param maxMessages     messages per session (OpenSMTPD's limit; Postfix has none, anvil rates instead)
 */
public record SessionSettings(String hostname, ListenerKind kind, long maxMessageSize, int maxRecipients,
                              int maxErrors, boolean tlsAvailable, int maxMessages) {
    public SessionSettings {
        if (maxMessageSize < 1024 || maxRecipients < 1 || maxErrors < 1 || maxMessages < 1) {
            throw new IllegalArgumentException("limits must be positive (message size at least 1 KiB)");
        }
    }

    /** Submission ports refuse to take mail from an unauthenticated client (RFC 6409 §4.3). */
    public boolean requiresAuth() {
        return kind != ListenerKind.SMTP;
    }
}
