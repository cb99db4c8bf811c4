package io.postbus.delivery.smtp;

import java.util.Objects;

/**
 * A user name and password for SMTP AUTH (RFC 4954) at a relay, from a password map entry
 * {@code user:password} (Postfix smtp_sasl_password_maps).
 *
 * @param username the authentication identity
 * @param password the password; never logged: {@link #toString()} leaves it out
 */
public record SaslCredentials(String username, String password) {

    public SaslCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        // NUL separates the fields of PLAIN (RFC 4616 §2): one inside a field would shift them.
        if (username.isEmpty() || username.indexOf('\0') >= 0 || password.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SASL user name must be non-empty, and neither field may hold NUL");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("SASL password for " + username + " is empty");
        }
    }

    /**
     * Postfix's value format: the user name up to the first colon, the password after it (so a
     * password may contain colons, a user name may not).
     *
     * @throws IllegalArgumentException no colon, or an empty field
     */
    public static SaslCredentials parse(String value) {
        String v = value.strip();
        int colon = v.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected user:password");
        }
        return new SaslCredentials(v.substring(0, colon), v.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "SaslCredentials[username=" + username + ", password=(hidden)]";
    }
}
