package io.postbus.core.address;

import java.util.Locale;
import java.util.Objects;

/**
 * An envelope address split at its last '@' (Postfix splits with strrchr for the same reason: a
 * quoted local part may contain '@'). The local part keeps its case and quoting; the domain is
 * lower-cased with Locale.ROOT and loses one trailing dot. An empty domain means an unqualified
 * address, which Postfix completes with {@code @$myorigin} (append_at_myorigin).
 */
public record MailAddress(String localPart, String domain) {

    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        if (localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        checkNoControl(localPart);
        checkNoControl(domain);
        domain = domain.toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
    }

    private static void checkNoControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("CR, LF or NUL in an address");
            }
        }
    }

    /** Splits at the last '@'; text without '@' is an unqualified local part. */
    public static MailAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        int at = address.lastIndexOf('@');
        return at < 0 ? new MailAddress(address, "") : new MailAddress(address.substring(0, at), address.substring(at + 1));
    }

    public boolean isQualified() {
        return !domain.isEmpty();
    }

    /** This address, or {@code localPart@myorigin} when it has no domain. */
    public MailAddress qualify(String myorigin) {
        return isQualified() ? this : new MailAddress(localPart, myorigin);
    }

    /** The same address with a different local part. */
    public MailAddress withLocalPart(String newLocalPart) {
        return new MailAddress(newLocalPart, domain);
    }

    /** The form used as a table key and for comparisons that ignore case. */
    String folded() {
        return toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return isQualified() ? localPart + "@" + domain : localPart;
    }
}
