package io.postbus.core.suppression;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the suppression list.
 *
 * @param address   the suppressed address, in its {@linkplain #key(String) key} form
 * @param expiresAt when the entry stops counting; null = never
 * @param detail    free text for operators (the remote reply of the bounce that caused it); may be null
 */
public record Suppression(String address, SuppressionReason reason, Instant at, Instant expiresAt, String detail) {
    public Suppression {
        address = key(address);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        if (expiresAt != null && !expiresAt.isAfter(at)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is not after at " + at);
        }
    }

    /**
     * The form addresses are compared in: trimmed, angle brackets removed, all lower case. RFC 5321
     * §2.4 lets the local part be case-sensitive, but a suppression that missed {@code Bob@} after
     * {@code bob@} bounced would send the mail a receiver already refused; no mainstream mailbox
     * provider distinguishes the two, and bulk senders (and their lists) expect case-insensitive
     * matching. The domain is case-insensitive anyway (RFC 1035 §2.3.3).
     */
    public static String key(String address) {
        Objects.requireNonNull(address, "address");
        String a = address.trim();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).trim();
        }
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1 || a.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("not an address to suppress: " + address);
        }
        return a.toLowerCase(Locale.ROOT);
    }

    /** Whether the entry still counts at {@code now}: an expired entry is ignored, not an error. */
    public boolean liveAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }
}
