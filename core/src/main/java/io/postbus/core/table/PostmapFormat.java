package io.postbus.core.table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text format postmap(1) reads: one {@code key whitespace value} entry per logical line.
 * The key ends at the first white space outside double quotes (a backslash escapes one character)
 * and is kept in its quoted form, as postmap does; the value is the rest, trimmed. Keys are folded
 * to lower case. A later duplicate key is a warning and the first value stays (DICT_FLAG_DUP_WARN).
 */
public final class PostmapFormat {
    private PostmapFormat() {}

    public static TableSnapshot parse(String text, String source) {
        return parse(SourceText.lines(text, source), source, List.of());
    }

    static TableSnapshot parse(List<String> physicalLines, String source, List<Path> files) {
        Map<String, String> entries = new HashMap<>();
        Map<String, Integer> firstSeen = new HashMap<>();
        List<TableWarning> warnings = new ArrayList<>();
        for (LogicalLines.Line line : LogicalLines.of(physicalLines, source)) {
            String text = line.text();
            int keyEnd = ValueList.indexOutsideQuotes(text, ' ');
            if (keyEnd < 0) {
                throw new TableParseException(source, line.number(), TableParseException.Problem.UNBALANCED_QUOTE,
                        "unbalanced '\"' in key");
            }
            String key = TableSnapshot.fold(text.substring(0, keyEnd));
            String value = SourceText.trim(text.substring(keyEnd));
            if (value.isEmpty()) {
                throw new TableParseException(source, line.number(), TableParseException.Problem.MISSING_VALUE,
                        "expected format: key whitespace value");
            }
            if (key.endsWith(":")) {
                warnings.add(new TableWarning(source, line.number(), TableWarning.Kind.KEY_LOOKS_LIKE_ALIAS,
                        "record is in \"key: value\" format; is this an alias file?"));
            }
            Integer first = firstSeen.putIfAbsent(key, line.number());
            if (first != null) {
                warnings.add(new TableWarning(source, line.number(), TableWarning.Kind.DUPLICATE_KEY,
                        "duplicate entry: \"" + key + "\" (keeping the one from line " + first + ")"));
                continue;
            }
            entries.put(key, value);
        }
        return new TableSnapshot(source, entries, warnings, files);
    }
}
