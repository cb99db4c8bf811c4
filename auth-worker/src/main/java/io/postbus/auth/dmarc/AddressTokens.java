package io.postbus.auth.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits an RFC 5322 address field value into tokens (§3.2): atoms, quoted strings, domain
 * literals and the specials an address uses. Comments (nested, §3.2.2) and whitespace, including
 * folding CRLF, separate tokens and are dropped. Non-ASCII text is atext (RFC 6532 §3.2).
 */
final class AddressTokens {

    enum Type { ATOM, QUOTED, LITERAL, DOT, AT, LT, GT, COMMA, COLON, SEMI }

    record Token(Type type, String text) {}

    /** The tokens, or an error message. */
    record Result(List<Token> tokens, Optional<String> error) {}

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private AddressTokens() {}

    static Result tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                int end = skipComment(s, i);
                if (end < 0) {
                    return error(out, "unterminated comment");
                }
                i = end;
            } else if (c == '"') {
                int[] end = new int[1];
                Optional<String> q = delimited(s, i, '"', end);
                if (q.isEmpty()) {
                    return error(out, "unterminated quoted string");
                }
                out.add(new Token(Type.QUOTED, q.get()));
                i = end[0];
            } else if (c == '[') {
                int[] end = new int[1];
                Optional<String> l = delimited(s, i, ']', end);
                if (l.isEmpty() || l.get().indexOf('[') >= 0) {
                    return error(out, "bad domain literal");
                }
                out.add(new Token(Type.LITERAL, l.get()));
                i = end[0];
            } else if (isAtext(c)) {
                int start = i;
                while (i < s.length() && isAtext(s.charAt(i))) {
                    i++;
                }
                out.add(new Token(Type.ATOM, s.substring(start, i)));
            } else {
                Type t = special(c);
                if (t == null) {
                    return error(out, String.format("unexpected character U+%04X", (int) c));
                }
                out.add(new Token(t, String.valueOf(c)));
                i++;
            }
        }
        return new Result(out, Optional.empty());
    }

    private static Result error(List<Token> sofar, String message) {
        return new Result(sofar, Optional.of(message));
    }

    private static Type special(char c) {
        switch (c) {
            case '.': return Type.DOT;
            case '@': return Type.AT;
            case '<': return Type.LT;
            case '>': return Type.GT;
            case ',': return Type.COMMA;
            case ':': return Type.COLON;
            case ';': return Type.SEMI;
            default: return null;
        }
    }

    static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0 || (c >= 0x80 && !Character.isISOControl(c)
                && !Character.isWhitespace(c));
    }

    /** Index after the comment starting at {@code start}, or -1 if it never closes. */
    private static int skipComment(String s, int start) {
        int depth = 0;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++; // quoted-pair
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The content between {@code s[start]} and {@code close}, quoted-pairs undone. */
    private static Optional<String> delimited(String s, int start, char close, int[] end) {
        StringBuilder b = new StringBuilder();
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else if (c == close) {
                end[0] = i + 1;
                return Optional.of(b.toString());
            } else {
                b.append(c);
            }
        }
        return Optional.empty();
    }
}
