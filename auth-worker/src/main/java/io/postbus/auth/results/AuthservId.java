package io.postbus.auth.results;

import java.util.Locale;
import java.util.Optional;

/**
 * The authserv-id of an Authentication-Results or ARC-Authentication-Results header (RFC 8601 §2.2,
 * RFC 8617 §4.1.1): what we compare against our own to find forged claims (RFC 8601 §5).
 */
public final class AuthservId {
    private AuthservId() {}

    /** Our authserv-ids are host names or other MIME tokens (RFC 8601 §2.5 recommends a host name). */
    public static boolean isValid(String id) {
        return id != null && !id.isEmpty() && id.length() <= 255 && AuthenticationResultsHeader.isToken(id);
    }

    /**
     * The authserv-id at the start of an Authentication-Results value, skipping comments and white space;
     * a quoted string is unquoted. Empty when the value does not start with one (a malformed header, which
     * claims nothing).
     */
    public static Optional<String> ofAuthenticationResults(String value) {
        Cursor c = new Cursor(value);
        c.skipCfws();
        return c.value();
    }

    /**
     * The authserv-id of an ARC-Authentication-Results value: after the {@code i=N;} instance tag
     * (RFC 8617 §4.1.1).
     */
    public static Optional<String> ofArcAuthenticationResults(String value) {
        Cursor c = new Cursor(value);
        c.skipCfws();
        if (!c.skipInstanceTag()) {
            return Optional.empty();
        }
        c.skipCfws();
        return c.value();
    }

    /** Whether two authserv-ids are the same (compared case-insensitively, as host names are). */
    public static boolean same(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        void skipCfws() {
            while (pos < s.length()) {
                char ch = s.charAt(pos);
                if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
                    pos++;
                } else if (ch == '(') {
                    skipComment();
                } else {
                    return;
                }
            }
        }

        private void skipComment() {
            int depth = 0;
            while (pos < s.length()) {
                char ch = s.charAt(pos++);
                if (ch == '\\') {
                    pos++;
                } else if (ch == '(') {
                    depth++;
                } else if (ch == ')' && --depth == 0) {
                    return;
                }
            }
        }

        boolean skipInstanceTag() {
            if (pos >= s.length() || s.charAt(pos) != 'i') {
                return false;
            }
            int semi = s.indexOf(';', pos);
            if (semi < 0) {
                return false;
            }
            String tag = s.substring(pos, semi).replaceAll("\\s", "");
            if (!tag.matches("i=\\d{1,2}")) {
                return false;
            }
            pos = semi + 1;
            return true;
        }

        Optional<String> value() {
            if (pos >= s.length()) {
                return Optional.empty();
            }
            if (s.charAt(pos) == '"') {
                StringBuilder sb = new StringBuilder();
                for (int i = pos + 1; i < s.length(); i++) {
                    char ch = s.charAt(i);
                    if (ch == '\\' && i + 1 < s.length()) {
                        sb.append(s.charAt(++i));
                    } else if (ch == '"') {
                        return Optional.of(sb.toString());
                    } else {
                        sb.append(ch);
                    }
                }
                return Optional.empty();
            }
            int start = pos;
            while (pos < s.length() && AuthenticationResultsHeader.isToken(String.valueOf(s.charAt(pos)))) {
                pos++;
            }
            return pos > start ? Optional.of(s.substring(start, pos)) : Optional.empty();
        }
    }
}
