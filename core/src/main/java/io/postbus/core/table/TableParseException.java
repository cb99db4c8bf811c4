package io.postbus.core.table;

import io.postbus.core.error.PermanentException;
import java.util.Objects;

/**
 * A table source that cannot be loaded, with the file and line where the problem is. Postfix's
 * postmap and postalias warn and skip such lines; we refuse the whole file instead, because a
 * recipient table with a silently skipped line turns into 550s for real users (see ADR 0004). A
 * {@link ReloadingTable} keeps serving the last good version when this happens on reload.
 */
public final class TableParseException extends PermanentException {

    public enum Problem {
        /** postmap(1): "expected format: key whitespace value". */
        MISSING_VALUE,
        /** readlline(3): "logical line must not start with whitespace". */
        CONTINUATION_WITHOUT_ENTRY,
        /** A double quote that is never closed. */
        UNBALANCED_QUOTE,
        /** Bytes that are not UTF-8, or a NUL byte (readlline: "text after null byte may be ignored"). */
        INVALID_TEXT,
        /** postalias(1): "need name:value pair". */
        NEED_NAME_VALUE,
        /** postalias(1): "name must be local" (no '@' or '%' in an alias name). */
        NAME_NOT_LOCAL,
        /** :include: nested deeper than the configured limit. */
        INCLUDE_TOO_DEEP,
        /** An :include: file that includes itself, directly or through others. */
        INCLUDE_CYCLE,
        /** The file (or an :include: file) could not be read. */
        UNREADABLE,
        /** The file changed while it was being read; the next check reads it again. */
        CHANGED_WHILE_READING
    }

    private final String source;
    private final int line;
    private final Problem problem;
    private final String detail;

    /** {@code line} is 0 when the problem is not tied to one line (an unreadable file). */
    public TableParseException(String source, int line, Problem problem, String detail) {
        super(format(source, line, detail));
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    private static String format(String source, int line, String detail) {
        return line > 0 ? source + ", line " + line + ": " + detail : source + ": " + detail;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public Problem problem() {
        return problem;
    }

    public String detail() {
        return detail;
    }
}
