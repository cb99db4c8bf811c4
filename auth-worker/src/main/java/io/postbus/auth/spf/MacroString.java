package io.postbus.auth.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A macro-string of RFC 7208 §7.1, parsed once with the record and expanded per evaluation by
 * {@link MacroExpander}. Parsing checks all of §7's syntax, so expansion itself cannot fail.
 *
 * @param text  the source text, for messages
 * @param parts literals and macros, in order
 */
record MacroString(String text, List<Part> parts) {

    /** Where a macro-string stands; that decides which letters and characters it may use. */
    enum Use {
        /** domain-spec (§7.1): ends in "." toplabel or a macro; c, r and t are not allowed (§7.3). */
        DOMAIN_SPEC,
        /** The value of an unknown modifier (§6): any macro-string, c, r and t excluded. */
        MODIFIER_VALUE,
        /** explain-string (§6.2, §7.1): macro-strings and spaces; every letter allowed. */
        EXPLANATION
    }

    sealed interface Part permits Literal, Macro {}

    record Literal(String text) implements Part {
        Literal {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * One macro-expand "%{...}" (§7.1).
     *
     * @param letter      the macro letter, lower case
     * @param urlEscape   the letter was upper case: escape the expansion (§7.3)
     * @param rightParts  keep this many right-hand parts; 0 keeps all
     * @param reverse     the "r" transformer
     * @param delimiters  the characters to split on; "." when none were given
     */
    record Macro(char letter, boolean urlEscape, int rightParts, boolean reverse, String delimiters)
            implements Part {
        Macro {
            if (MACRO_LETTERS.indexOf(letter) < 0) {
                throw new IllegalArgumentException("not a macro letter: " + letter);
            }
            if (rightParts < 0 || delimiters.isEmpty()) {
                throw new IllegalArgumentException("bad transformers");
            }
        }
    }

    static final String MACRO_LETTERS = "slodipvhcrt";
    /** §7.3: "The following macro letters are allowed only in "exp" text: c, r, t". */
    private static final String EXPLANATION_ONLY_LETTERS = "crt";
    private static final String DELIMITERS = ".-+,/_=";
    /** No domain has more labels than this; a larger digit transformer keeps everything anyway. */
    private static final int MAX_RIGHT_PARTS = 128;

    MacroString {
        Objects.requireNonNull(text, "text");
        parts = List.copyOf(parts);
    }

    static Parsed<MacroString> parse(String text, Use use) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                if (!isLiteral(c) && !(c == ' ' && use == Use.EXPLANATION)) {
                    return Parsed.invalid("character " + describe(c) + " not allowed in \"" + text + "\"");
                }
                literal.append(c);
                i++;
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            switch (next) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i + 2);
                    if (close < 0) {
                        return Parsed.invalid("unterminated macro in \"" + text + "\"");
                    }
                    Parsed<Macro> macro = parseMacro(text.substring(i + 2, close), use);
                    if (macro instanceof Parsed.Invalid<Macro> bad) {
                        return Parsed.invalid(bad.reason() + " in \"" + text + "\"");
                    }
                    flush(literal, parts);
                    parts.add(((Parsed.Ok<Macro>) macro).value());
                    i = close + 1;
                    continue;
                }
                default -> {
                    // §7.1: "A '%' character not followed by a '{', '%', '-', or '_' character is a syntax error."
                    return Parsed.invalid("'%' not followed by '{', '%', '-' or '_' in \"" + text + "\"");
                }
            }
            i += 2;
        }
        flush(literal, parts);
        MacroString parsed = new MacroString(text, parts);
        if (use == Use.DOMAIN_SPEC && !parsed.hasDomainEnd(text)) {
            return Parsed.invalid("\"" + text + "\" does not end in a top-level label or a macro");
        }
        return Parsed.ok(parsed);
    }

    private static Parsed<Macro> parseMacro(String body, Use use) {
        // macro-expand = "%{" macro-letter transformers *delimiter "}"; transformers = *DIGIT [ "r" ]
        if (body.isEmpty()) {
            return Parsed.invalid("empty macro");
        }
        char given = body.charAt(0);
        char letter = Character.toLowerCase(given);
        if (given > 0x7f || MACRO_LETTERS.indexOf(letter) < 0) {
            return Parsed.invalid("unknown macro letter " + describe(given));
        }
        if (use != Use.EXPLANATION && EXPLANATION_ONLY_LETTERS.indexOf(letter) >= 0) {
            return Parsed.invalid("macro letter '" + given + "' is allowed only in explanations");
        }
        int i = 1;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
            i++;
        }
        int rightParts = 0;
        if (i > 1) {
            String digits = body.substring(1, i).replaceFirst("^0+(?=.)", "");
            rightParts = digits.length() > 3 ? MAX_RIGHT_PARTS : Math.min(Integer.parseInt(digits), MAX_RIGHT_PARTS);
            if (rightParts == 0) {
                // §7.3: "If a DIGIT is specified, the value MUST be nonzero."
                return Parsed.invalid("macro transformer of zero parts");
            }
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (int k = 0; k < delimiters.length(); k++) {
            if (DELIMITERS.indexOf(delimiters.charAt(k)) < 0) {
                return Parsed.invalid("bad macro delimiter " + describe(delimiters.charAt(k)));
            }
        }
        return Parsed.ok(new Macro(letter, given != letter, rightParts, reverse,
                delimiters.isEmpty() ? "." : delimiters));
    }

    /** domain-end = ( "." toplabel [ "." ] ) / macro-expand  (§7.1). */
    private boolean hasDomainEnd(String source) {
        if (parts.isEmpty()) {
            return false;
        }
        Part last = parts.get(parts.size() - 1);
        if (last instanceof Macro || isEscape(source)) {
            return true;
        }
        String tail = ((Literal) last).text();
        if (tail.endsWith(".")) {
            tail = tail.substring(0, tail.length() - 1);
        }
        int dot = tail.lastIndexOf('.');
        return dot >= 0 && SpfDomains.isToplabel(tail.substring(dot + 1));
    }

    /** Whether the source ends in "%%", "%_" or "%-" (an odd run of '%' before the last character). */
    private static boolean isEscape(String source) {
        int n = source.length();
        if (n < 2 || "%_-".indexOf(source.charAt(n - 1)) < 0) {
            return false;
        }
        int percents = 0;
        for (int k = n - 2; k >= 0 && source.charAt(k) == '%'; k--) {
            percents++;
        }
        return percents % 2 == 1;
    }

    /** macro-literal = %x21-24 / %x26-7E: visible US-ASCII except '%'. */
    private static boolean isLiteral(char c) {
        return c >= 0x21 && c <= 0x7e && c != '%';
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    static String describe(char c) {
        return c >= 0x21 && c <= 0x7e ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
