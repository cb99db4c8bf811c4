package io.postbus.core.table;

import java.util.ArrayList;
import java.util.List;

/**
 * Postfix's readllines(3): a logical line starts with non-blank text, and lines that start with
 * white space continue it. Blank lines and comment lines (first non-blank character '#') are
 * skipped and do not end a logical line. Continuation text is appended as it is, leading white
 * space included, exactly as Postfix joins it.
 */
final class LogicalLines {
    private LogicalLines() {}

    /** One logical line and the physical line it started on (used in error texts). */
    record Line(int number, String text) {}

    static List<Line> of(List<String> physical, String source) {
        List<Line> out = new ArrayList<>();
        StringBuilder current = null;
        int startLine = 0;
        for (int i = 0; i < physical.size(); i++) {
            String line = physical.get(i);
            if (SourceText.isBlankOrComment(line)) {
                continue;
            }
            if (SourceText.isSpace(line.charAt(0))) {
                if (current == null) {
                    // Postfix warns and drops this text; we refuse it so nothing is lost unnoticed.
                    throw new TableParseException(source, i + 1, TableParseException.Problem.CONTINUATION_WITHOUT_ENTRY,
                            "logical line must not start with whitespace");
                }
                current.append(line);
                continue;
            }
            if (current != null) {
                out.add(new Line(startLine, current.toString()));
            }
            current = new StringBuilder(line);
            startLine = i + 1;
        }
        if (current != null) {
            out.add(new Line(startLine, current.toString()));
        }
        return out;
    }
}
