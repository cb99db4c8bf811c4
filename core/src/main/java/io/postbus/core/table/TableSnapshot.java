package io.postbus.core.table;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, fully loaded table: what postmap would have written into the indexed file, plus the
 * warnings it would have printed and the files it read (the source and any :include: files), which
 * a {@link ReloadingTable} watches.
 */
public final class TableSnapshot implements LookupTable {
    private final String name;
    private final Map<String, String> entries;
    private final List<TableWarning> warnings;
    private final List<Path> sources;

    /** Keys must already be folded to lower case; the parsers do that. */
    TableSnapshot(String name, Map<String, String> entries, List<TableWarning> warnings, List<Path> sources) {
        this.name = Objects.requireNonNull(name, "name");
        this.entries = Collections.unmodifiableMap(entries);
        this.warnings = List.copyOf(warnings);
        this.sources = List.copyOf(sources);
    }

    /** A table from literal entries (Postfix's {@code inline:{ key=value }}); keys are folded. */
    public static TableSnapshot of(String name, Map<String, String> entries) {
        Map<String, String> folded = new HashMap<>();
        entries.forEach((k, v) -> {
            String key = fold(Objects.requireNonNull(k, "key"));
            if (key.isEmpty() || Objects.requireNonNull(v, "value").isEmpty()) {
                throw new IllegalArgumentException("empty key or value in " + name);
            }
            if (folded.putIfAbsent(key, v) != null) {
                throw new IllegalArgumentException("key '" + key + "' given twice (keys ignore case) in " + name);
            }
        });
        return new TableSnapshot(name, folded, List.of(), List.of());
    }

    static String fold(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(fold(key)));
    }

    @Override
    public String name() {
        return name;
    }

    public int size() {
        return entries.size();
    }

    /** Every entry, keys in lower case. */
    public Map<String, String> entries() {
        return entries;
    }

    public List<TableWarning> warnings() {
        return warnings;
    }

    /** The files this snapshot was read from, the main file first. Empty for literal tables. */
    public List<Path> sources() {
        return sources;
    }

    @Override
    public String toString() {
        return "TableSnapshot[" + name + ", " + entries.size() + " entries, " + warnings.size() + " warnings]";
    }
}
