package io.postbus.core.dsn;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small text rules the report is written with: one-line fields, 7-bit text, folding, dates. */
final class Texts {
    /** RFC 5322 §3.3 date-time; English names whatever the JVM's locale is. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    static final String CRLF = "\r\n";
    /** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters. */
    static final int LINE = 78;

    private Texts() {}

    /** Rejects CR and LF where a value becomes one header line (header injection). */
    static void requireSingleLine(String value, String what) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " must not contain CR or LF");
        }
    }

    static String date(ZonedDateTime t) {
        return DATE.format(t);
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * One line of text for a report: line breaks and other controls become spaces, runs of spaces
     * collapse, and — unless UTF-8 may be used — anything outside printable ASCII becomes '?'.
     * Remote replies are foreign input; the report must stay well-formed whatever they contain.
     */
    static String oneLine(String s, boolean utf8) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x20 || cp == 0x7f || Character.isWhitespace(cp)) {
                space = b.length() > 0;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            if (cp > 0x7e && !utf8) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }

    /**
     * "Name: value" folded at spaces so lines stay within 78 characters where the words allow
     * (RFC 5322 §2.2.3), ending in CRLF. A single word longer than a line is left whole.
     */
    static String field(String name, String value) {
        StringBuilder out = new StringBuilder(name).append(':');
        int lineStart = 0;
        for (String word : value.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            int lineLength = out.length() - lineStart;
            if (lineLength + 1 + word.length() > LINE && lineLength > name.length() + 1) {
                out.append(CRLF);
                lineStart = out.length();
            }
            out.append(' ').append(word);
        }
        return out.append(CRLF).toString();
    }

    /** Wraps prose to {@code width}, continuation lines indented by {@code indent}. */
    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        int lineLength = 0;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (lineLength > 0 && lineLength + 1 + word.length() > width) {
                out.append(CRLF).append(indent);
                lineLength = indent.length();
            } else if (lineLength > 0) {
                out.append(' ');
                lineLength++;
            }
            out.append(word);
            lineLength += word.length();
        }
        return out.toString();
    }

    /** "4.0 hours", "5.0 days", "30 minutes": the way Postfix states how long mail has waited. */
    static String duration(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        if (d.toHours() < 24) {
            return String.format(Locale.ROOT, "%.1f hours", d.toMinutes() / 60.0);
        }
        return String.format(Locale.ROOT, "%.1f days", d.toMinutes() / 1440.0);
    }
}
