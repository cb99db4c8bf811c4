package io.postbus.core.address;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Postfix's recipient_delimiter: any one of these characters starts an address extension
 * ({@code user+ext}, or with {@code recipient_delimiter = +-} also {@code user-ext}). The split
 * follows split_addr(3): at the first delimiter character; never when that would leave an empty
 * user name; never for postmaster, MAILER-DAEMON and the double-bounce address; and, when '-' is
 * a delimiter and owner_request_special is on (the default), never for owner-xxx or xxx-request.
 */
public record RecipientDelimiter(String delimiters, boolean ownerRequestSpecial) {

    /** No delimiter: addresses are never split (Postfix's default, {@code recipient_delimiter =}). */
    public static final RecipientDelimiter NONE = new RecipientDelimiter("", true);

    public RecipientDelimiter {
        Objects.requireNonNull(delimiters, "delimiters");
        for (int i = 0; i < delimiters.length(); i++) {
            char c = delimiters.charAt(i);
            if (c == '@' || c == '"' || c == '\\' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("not usable as a recipient delimiter: '" + c + "'");
            }
        }
    }

    public static RecipientDelimiter of(String delimiters) {
        return new RecipientDelimiter(delimiters, true);
    }

    /** A local part cut into the user name and the extension; the extension starts with its delimiter. */
    public record Split(String base, String extension) {}

    public Optional<Split> split(String localPart) {
        if (delimiters.isEmpty()) {
            return Optional.empty();
        }
        String lower = localPart.toLowerCase(Locale.ROOT);
        if (lower.equals("postmaster") || lower.equals("mailer-daemon") || lower.equals("double-bounce")) {
            return Optional.empty();
        }
        if (ownerRequestSpecial && delimiters.indexOf('-') >= 0
                && (lower.startsWith("owner-") || (lower.length() > 8 && lower.endsWith("-request")))) {
            return Optional.empty();
        }
        for (int i = 0; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) {
                return i == 0 ? Optional.empty() : Optional.of(new Split(localPart.substring(0, i), localPart.substring(i)));
            }
        }
        return Optional.empty();
    }
}
