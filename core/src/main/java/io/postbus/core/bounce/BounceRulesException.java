package io.postbus.core.bounce;

import io.postbus.core.error.PermanentException;
import java.util.Objects;

/**
 * A bounce rules file that cannot be used, with the file and line where the problem is. The whole
 * file is refused: a silently skipped rule would misfile every bounce it was written for.
 */
public final class BounceRulesException extends PermanentException {

    public enum Problem {
        /** The line has a class but no status column. */
        MISSING_STATUS,
        /** The first column is not one of {@link BounceClass}. */
        UNKNOWN_CLASS,
        /** The status column is neither an RFC 3463 code nor a three-digit reply code (with {@code *}). */
        BAD_STATUS,
        /** The text column is not a valid Java regular expression. */
        BAD_REGEX,
        /** Bytes that are not UTF-8, or a NUL character. */
        INVALID_TEXT,
        /** The file could not be read. */
        UNREADABLE
    }

    private final String source;
    private final int line;
    private final Problem problem;
    private final String detail;

    /** {@code line} is 0 when the problem is not tied to one line (an unreadable file). */
    public BounceRulesException(String source, int line, Problem problem, String detail) {
        super(line > 0 ? source + ", line " + line + ": " + detail : source + ": " + detail);
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.detail = Objects.requireNonNull(detail, "detail");
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
