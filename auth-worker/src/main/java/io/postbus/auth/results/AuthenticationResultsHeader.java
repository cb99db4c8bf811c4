package io.postbus.auth.results;

import io.postbus.auth.message.HeaderField;
import java.util.List;
import java.util.Objects;

/**
 * Renders our one Authentication-Results header (RFC 8601 §2.2). Each resinfo goes on its own folded
 * line so that the header stays readable and within the 78-character line advice of RFC 5322 §2.1.1
 * in the common case; a value longer than that is never split (that would change it).
 */
public final class AuthenticationResultsHeader {
    public static final String NAME = "Authentication-Results";

    private AuthenticationResultsHeader() {}

    /** The header field, folded, ending in CRLF; "none" when there is nothing to report (§2.2). */
    public static HeaderField render(String authservId, List<ResultClause> clauses) {
        return HeaderField.of(NAME, " " + value(authservId, clauses).replace("\n", "\r\n"));
    }

    /**
     * The header value (after "Authentication-Results:"), with LF-only folding points; {@link #render}
     * turns them into CRLF. The ARC sealer takes the same text for its ARC-Authentication-Results.
     */
    public static String value(String authservId, List<ResultClause> clauses) {
        Objects.requireNonNull(authservId, "authservId");
        if (!AuthservId.isValid(authservId)) {
            throw new IllegalArgumentException("not a valid authserv-id: " + authservId);
        }
        StringBuilder sb = new StringBuilder(authservId).append(';');
        if (clauses.isEmpty()) {
            return sb.append(" none").toString();
        }
        for (int i = 0; i < clauses.size(); i++) {
            sb.append("\n\t").append(clause(clauses.get(i)));
            if (i < clauses.size() - 1) {
                sb.append(';');
            }
        }
        return sb.toString();
    }

    /** One resinfo without folding: {@code dkim=pass (comment) reason="..." header.d=example.com}. */
    public static String clause(ResultClause c) {
        StringBuilder sb = new StringBuilder(c.method()).append('=').append(c.result());
        c.comment().ifPresent(comment -> sb.append(" (").append(commentText(comment)).append(')'));
        c.reason().ifPresent(reason -> sb.append(" reason=").append(quoted(reason)));
        c.properties().forEach((k, v) -> sb.append(' ').append(k).append('=').append(propertyValue(v)));
        return sb.toString();
    }

    /**
     * pvalue (§2.2): an addr-spec or domain may stand bare; anything else that is not a MIME token
     * (RFC 2045 §5.1) is quoted.
     */
    static String propertyValue(String v) {
        if (v.matches("[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~.]*@?[A-Za-z0-9.\\-]+") || isToken(v)) {
            return v;
        }
        return quoted(v);
    }

    static boolean isToken(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    static String quoted(String v) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.append('"').toString();
    }

    private static String commentText(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.toString();
    }
}
