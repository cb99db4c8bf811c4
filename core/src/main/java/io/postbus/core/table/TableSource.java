package io.postbus.core.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Where a table comes from and how to read it; {@link #load()} reads it once, completely. */
public record TableSource(Path path, TableFormat format, int maxIncludeDepth) {

    public TableSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        if (maxIncludeDepth < 0) {
            throw new IllegalArgumentException("include depth limit must be >= 0: " + maxIncludeDepth);
        }
    }

    public static TableSource postmap(Path path) {
        return new TableSource(path, TableFormat.POSTMAP, 0);
    }

    public static TableSource aliases(Path path) {
        return new TableSource(path, TableFormat.ALIASES, AliasesFormat.DEFAULT_MAX_INCLUDE_DEPTH);
    }

    /** Reads and parses the file (and its :include: files); throws {@link TableParseException}. */
    public TableSnapshot load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new TableParseException(path.toString(), 0, TableParseException.Problem.UNREADABLE,
                    "cannot read: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        List<String> lines = SourceText.lines(bytes, path.toString());
        return format == TableFormat.POSTMAP
                ? PostmapFormat.parse(lines, path.toString(), List.of(path))
                : AliasesFormat.load(path, lines, maxIncludeDepth);
    }
}
