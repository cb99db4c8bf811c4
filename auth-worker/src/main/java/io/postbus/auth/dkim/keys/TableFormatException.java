package io.postbus.auth.dkim.keys;

import java.nio.file.Path;
import java.util.Objects;

/** A KeyTable or SigningTable line OpenDKIM would not accept either (or the file cannot be read). */
public final class TableFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final int line;

    /** @param line 1-based line number, 0 when the problem is the file as a whole */
    public TableFormatException(Path file, int line, String reason) {
        super(Objects.requireNonNull(file, "file") + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
