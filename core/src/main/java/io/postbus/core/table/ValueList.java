package io.postbus.core.table;

import java.util.ArrayList;
import java.util.List;

/**
 * The quoting rules Postfix applies to table text: a double-quoted string is one token, and a
 * backslash takes the next character literally. Used to find where a postmap key ends, where an
 * alias name ends, and to split a right-hand side such as {@code a@x, "b c"@y} into destinations.
 */
public final class ValueList {
    private ValueList() {}

    /**
     * Splits a table value into destinations at commas and at white space outside double quotes
     * (virtual(5): "address, address, ..."; aliases(5) likewise). Tokens keep their quotes. Never
     * fails: an unclosed quote runs to the end of the text.
     */
    public static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                token.append(c).append(value.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                token.append(c);
            } else if (!quoted && (c == ',' || SourceText.isSpace(c))) {
                flush(token, out);
            } else {
                token.append(c);
            }
        }
        flush(token, out);
        return out;
    }

    private static void flush(StringBuilder token, List<String> out) {
        if (token.length() > 0) {
            out.add(token.toString());
            token.setLength(0);
        }
    }

    /**
     * Index of the first {@code stop} character outside quotes (for {@code ' '} any white space),
     * {@code text.length()} if there is none, or -1 when a quote is left open.
     */
    static int indexOutsideQuotes(String text, char stop) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (stop == ' ' ? SourceText.isSpace(c) : c == stop)) {
                return i;
            }
        }
        return quoted ? -1 : text.length();
    }

    /** Whether {@code c} occurs outside double quotes (an unclosed quote runs to the end). */
    public static boolean containsOutsideQuotes(String text, char c) {
        int i = indexOutsideQuotes(text, c);
        return i >= 0 && i < text.length();
    }

    /** True when every double quote outside a backslash escape is closed. */
    static boolean quotesBalanced(String text) {
        return indexOutsideQuotes(text, '\0') >= 0;
    }
}
