package io.postbus.core.bounce;

import io.postbus.core.bounce.BounceRulesException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the bounce rules file format, one rule per line:
 *
 * <pre>
 * # class       status   text (regular expression, case-insensitive; the rest of the line)
 * BAD_MAILBOX   5.1.1
 * SPAM_BLOCK    5.7.*    blocked using|spamhaus
 * MAILBOX_FULL  *        over quota|mailbox (is )?full
 * </pre>
 *
 * Columns are separated by white space; the text column is everything after the status column, so
 * a pattern may contain spaces. Blank lines and lines whose first non-blank character is {@code #}
 * are ignored. Class names ignore case.
 */
final class BounceRulesFormat {
    private BounceRulesFormat() {}

    static List<BounceRule> parse(byte[] bytes, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BounceRulesException(source, lineOfFirstBadByte(bytes), Problem.INVALID_TEXT, "not valid UTF-8");
        }
        return parse(text, source);
    }

    static List<BounceRule> parse(String text, String source) {
        List<BounceRule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.indexOf('\0') >= 0) {
                throw new BounceRulesException(source, number, Problem.INVALID_TEXT, "NUL character");
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            rules.add(rule(trimmed, source, number));
        }
        return List.copyOf(rules);
    }

    private static BounceRule rule(String line, String source, int number) {
        String[] first = line.split("\\s+", 2);
        BounceClass cls;
        try {
            cls = BounceClass.valueOf(first[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BounceRulesException(source, number, Problem.UNKNOWN_CLASS,
                    "unknown bounce class \"" + first[0] + "\" (one of " + List.of(BounceClass.values()) + ")");
        }
        if (first.length < 2) {
            throw new BounceRulesException(source, number, Problem.MISSING_STATUS,
                    "expected: class status [text pattern]");
        }
        String[] rest = first[1].split("\\s+", 2);
        if (!StatusMatch.isValid(rest[0])) {
            throw new BounceRulesException(source, number, Problem.BAD_STATUS,
                    "status must be an enhanced status code like 5.1.1 or 5.7.*, a reply code like 552, or *: "
                            + rest[0]);
        }
        Pattern text = null;
        if (rest.length == 2 && !rest[1].isBlank()) {
            try {
                text = Pattern.compile(rest[1].strip(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                throw new BounceRulesException(source, number, Problem.BAD_REGEX,
                        "bad regular expression: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
        return new BounceRule(cls, new StatusMatch(rest[0]), text, source, number);
    }

    private static int lineOfFirstBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    decoder.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return 0;
    }
}
