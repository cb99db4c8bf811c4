package io.postbus.core.table;

import java.util.Objects;
import java.util.Optional;

/** The outcome of one reload check, with the table now in use. */
public record ReloadResult(Status status, TableSnapshot table, Optional<TableParseException> error) {

    public enum Status {
        /** The check interval has not passed yet; nothing was looked at. */
        NOT_DUE,
        /** The files are as they were (or as broken as at the last failed attempt, which was reported then). */
        UNCHANGED,
        /** A new version was read and is now in use. */
        RELOADED,
        /** A new version could not be read; the previous table stays in use. */
        FAILED
    }

    public ReloadResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(error, "error");
        if (error.isPresent() != (status == Status.FAILED)) {
            throw new IllegalArgumentException("an error goes with FAILED and only with FAILED");
        }
    }
}
