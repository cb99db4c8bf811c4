package io.postbus.core.table;

import java.util.Objects;
import java.util.Optional;

/**
 * A key → value lookup table in the sense of Postfix's DATABASE_README: keys are compared without
 * regard to case (Postfix opens tables with DICT_FLAG_FOLD_FIX), values are returned as written.
 * Implementations never do I/O in {@link #get}; a {@link ReloadingTable} swaps whole snapshots.
 */
public interface LookupTable {

    /** The value stored under {@code key} (folded to lower case with Locale.ROOT), if any. */
    Optional<String> get(String key);

    /** A name for logs and error texts, usually the source file. */
    String name();

    /** A table with no entries. */
    static LookupTable empty(String name) {
        Objects.requireNonNull(name, "name");
        return new LookupTable() {
            @Override
            public Optional<String> get(String key) {
                return Optional.empty();
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return "LookupTable[" + name + ", empty]";
            }
        };
    }
}
