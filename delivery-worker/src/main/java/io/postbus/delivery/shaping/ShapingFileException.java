package io.postbus.delivery.shaping;

import io.postbus.core.error.PermanentException;
import java.util.Objects;

/**
 * A shaping or backoff rules file that cannot be used, with the file and line where the problem is.
 * The whole file is refused at start-up: a silently skipped line would let a site be flooded.
 */
public final class ShapingFileException extends PermanentException {
    private final String source;
    private final int line;

    /** {@code line} is 0 when the problem is not tied to one line (an unreadable file). */
    public ShapingFileException(String source, int line, String detail) {
        super(line > 0 ? source + ", line " + line + ": " + detail : source + ": " + detail);
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }
}
