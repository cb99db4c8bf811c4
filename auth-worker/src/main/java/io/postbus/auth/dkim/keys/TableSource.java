package io.postbus.auth.dkim.keys;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an OpenDKIM table lives, written as OpenDKIM's opendkim.conf(5) "dataset" is: {@code refile:/path}
 * for a file of wildcard patterns, {@code file:/path} or a bare path for exact keys. Database datasets
 * (db:, dsn:, ldap:, lua:) are not supported.
 *
 * @param path     the table file
 * @param patterns true for refile: keys are patterns in which '*' matches any text
 */
public record TableSource(Path path, boolean patterns) {

    public TableSource {
        Objects.requireNonNull(path, "path");
    }

    public static TableSource parse(String dataset) {
        String d = dataset.strip();
        String lower = d.toLowerCase(Locale.ROOT);
        if (lower.startsWith("refile:")) {
            return new TableSource(Path.of(d.substring("refile:".length())), true);
        }
        if (lower.startsWith("file:")) {
            return new TableSource(Path.of(d.substring("file:".length())), false);
        }
        if (d.startsWith("/") || d.startsWith("./") || d.startsWith("../")) {
            return new TableSource(Path.of(d), false);
        }
        throw new IllegalArgumentException("unsupported dataset (use refile:/path, file:/path or /path): " + dataset);
    }

    /** As OpenDKIM would write it. */
    @Override
    public String toString() {
        return (patterns ? "refile:" : "file:") + path;
    }
}
