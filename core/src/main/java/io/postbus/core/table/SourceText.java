package io.postbus.core.table;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Physical lines of a table source. Decoding is strict and per line, so that a stray Latin-1 byte
 * is reported with its line number instead of turning into U+FFFD in a key (Postfix: "non-UTF-8
 * input"). A trailing CR is dropped so that files edited on Windows read the same.
 */
final class SourceText {
    private SourceText() {}

    static List<String> lines(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && start == i) {
                    break; // no text after the last newline
                }
                String line;
                try {
                    line = decoder.decode(ByteBuffer.wrap(bytes, start, i - start)).toString();
                } catch (CharacterCodingException e) {
                    throw new TableParseException(source, lines.size() + 1, TableParseException.Problem.INVALID_TEXT,
                            "not valid UTF-8");
                }
                lines.add(clean(line, lines.size() + 1, source));
                start = i + 1;
            }
        }
        return lines;
    }

    /** Splits text into lines; rejects NUL, which would silently cut a line short in Postfix. */
    static List<String> lines(String text, String source) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i == text.length() && start == i) {
                    break;
                }
                lines.add(clean(text.substring(start, i), lines.size() + 1, source));
                start = i + 1;
            }
        }
        return lines;
    }

    private static String clean(String line, int number, String source) {
        if (line.indexOf('\0') >= 0) {
            throw new TableParseException(source, number, TableParseException.Problem.INVALID_TEXT, "NUL character");
        }
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** True for a line that is empty, white space only, or whose first non-blank character is '#'. */
    static boolean isBlankOrComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!isSpace(c)) {
                return c == '#';
            }
        }
        return true;
    }

    /** Trims Postfix white space (ASCII only, unlike {@link String#strip()}). */
    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Postfix's ISSPACE on the characters that matter in a text table. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0b;
    }
}
