package io.postbus.core.table;

import java.util.Objects;

/**
 * Something Postfix would log with {@code warning:} while building a table, and then go on. The
 * table is still loaded; the caller decides whether to log or fail.
 */
public record TableWarning(String source, int line, Kind kind, String detail) {

    public enum Kind {
        /** A key that appeared before; Postfix (DICT_FLAG_DUP_WARN) keeps the first value. */
        DUPLICATE_KEY,
        /** A postmap-format key ending in ':' — postmap asks "is this an alias file?". */
        KEY_LOOKS_LIKE_ALIAS
    }

    public TableWarning {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1: " + line);
        }
    }

    @Override
    public String toString() {
        return source + ", line " + line + ": " + detail;
    }
}
