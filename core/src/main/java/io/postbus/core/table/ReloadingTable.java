package io.postbus.core.table;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A table that follows its file. Lookups read the current snapshot and never touch the disk;
 * {@link #refreshIfDue()} — called by the owner from a timer or worker thread, never from an event
 * loop — looks at the files at most once per interval and re-reads them when any of them (the main
 * file or an :include: file) has changed its real path, file key, modification time or size. A
 * version that does not parse is reported once and the last good table stays in use (ADR 0004).
 */
public final class ReloadingTable implements LookupTable {
    private static final int INITIAL_ATTEMPTS = 3;

    private final TableSource source;
    private final Duration interval;
    private final Clock clock;

    private volatile TableSnapshot current;
    private volatile TableParseException lastError;
    private volatile Instant loadedAt;
    private Map<Path, FileStamp> loadedStamps;
    private Map<Path, FileStamp> failedStamps;
    private Instant nextCheck;

    /** Loads the table now; a file that cannot be loaded at start is an error (fail fast). */
    public ReloadingTable(TableSource source, Duration checkInterval, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.interval = Objects.requireNonNull(checkInterval, "checkInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("check interval must not be negative: " + checkInterval);
        }
        TableParseException last = null;
        for (int attempt = 0; attempt < INITIAL_ATTEMPTS && current == null; attempt++) {
            try {
                tryLoad(stamps(watched(null)));
            } catch (TableParseException e) {
                if (e.problem() != TableParseException.Problem.CHANGED_WHILE_READING) {
                    throw e;
                }
                last = e;
            }
        }
        if (current == null) {
            throw last;
        }
        nextCheck = clock.instant().plus(interval);
    }

    @Override
    public Optional<String> get(String key) {
        return current.get(key);
    }

    @Override
    public String name() {
        return source.path().toString();
    }

    /** The table in use now. */
    public TableSnapshot current() {
        return current;
    }

    /** When the table in use was read. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** The problem with the newest version of the files, while it lasts; empty once a good version loads. */
    public Optional<TableParseException> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Checks the files if the interval has passed since the last check; otherwise does nothing. */
    public synchronized ReloadResult refreshIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return new ReloadResult(ReloadResult.Status.NOT_DUE, current, Optional.empty());
        }
        return check(now);
    }

    /** Checks the files now, whatever the interval (for an operator's "reload" command). */
    public synchronized ReloadResult refreshNow() {
        return check(clock.instant());
    }

    private ReloadResult check(Instant now) {
        nextCheck = now.plus(interval);
        Map<Path, FileStamp> stamps = stamps(watched(current));
        if (stamps.equals(loadedStamps) || stamps.equals(failedStamps)) {
            return new ReloadResult(ReloadResult.Status.UNCHANGED, current, Optional.empty());
        }
        try {
            tryLoad(stamps);
        } catch (TableParseException e) {
            lastError = e;
            // A file caught mid-write is read again at the next check; a broken file is not,
            // until it changes again, so that one bad edit is reported once.
            failedStamps = e.problem() == TableParseException.Problem.CHANGED_WHILE_READING ? null : stamps;
            return new ReloadResult(ReloadResult.Status.FAILED, current, Optional.of(e));
        }
        return new ReloadResult(ReloadResult.Status.RELOADED, current, Optional.empty());
    }

    /** Loads, and accepts the result only if no file it depends on changed while it was read. */
    private void tryLoad(Map<Path, FileStamp> before) {
        TableSnapshot loaded = source.load();
        Map<Path, FileStamp> after = stamps(watched(loaded));
        for (Map.Entry<Path, FileStamp> e : after.entrySet()) {
            FileStamp earlier = before.get(e.getKey());
            if (earlier != null && !earlier.equals(e.getValue())) {
                throw new TableParseException(e.getKey().toString(), 0, TableParseException.Problem.CHANGED_WHILE_READING,
                        "changed while being read; will read it again");
            }
        }
        current = loaded;
        loadedAt = clock.instant();
        loadedStamps = after;
        failedStamps = null;
        lastError = null;
    }

    private Set<Path> watched(TableSnapshot snapshot) {
        Set<Path> paths = new LinkedHashSet<>();
        paths.add(source.path());
        if (snapshot != null) {
            paths.addAll(snapshot.sources());
        }
        return paths;
    }

    private static Map<Path, FileStamp> stamps(Set<Path> paths) {
        Map<Path, FileStamp> out = new LinkedHashMap<>();
        for (Path p : paths) {
            out.put(p, FileStamp.of(p));
        }
        return out;
    }

    @Override
    public String toString() {
        return "ReloadingTable[" + source.path() + ", every " + interval + "]";
    }
}
