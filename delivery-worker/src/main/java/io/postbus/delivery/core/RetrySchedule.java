package io.postbus.delivery.core;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * When to try a deferred delivery again, as a pure function of the attempt number (Postfix: the
 * wait doubles from {@code minimal_backoff_time} up to {@code maximal_backoff_time}), rounded down
 * to a retry tier. Every job in a tier waits exactly the tier's delay, so each tier topic stays
 * ordered by due time and its consumer only ever waits for the head.
 */
public final class RetrySchedule {
    private final Duration minimal;
    private final Duration maximal;
    private final List<Map.Entry<String, Duration>> tiers;

    public RetrySchedule(Duration minimal, Duration maximal, List<String> tierNames) {
        this.minimal = Objects.requireNonNull(minimal);
        this.maximal = Objects.requireNonNull(maximal);
        if (tierNames.isEmpty()) {
            throw new IllegalArgumentException("at least one retry tier is needed");
        }
        this.tiers = tierNames.stream().map(n -> Map.entry(n, parseTier(n)))
                .sorted(Comparator.comparing(Map.Entry::getValue)).toList();
    }

    /** The tier for the retry after {@code attemptsMade} failed attempts (1 = the first failure). */
    public Map.Entry<String, Duration> tierFor(int attemptsMade) {
        Duration wanted = backoff(attemptsMade);
        Map.Entry<String, Duration> chosen = tiers.get(0);
        for (var t : tiers) {
            if (t.getValue().compareTo(wanted) <= 0) {
                chosen = t;
            }
        }
        return chosen;
    }

    /** The shortest tier that waits at least {@code wait}; the longest when none does. */
    public Map.Entry<String, Duration> tierAtLeast(Duration wait) {
        for (var t : tiers) {
            if (t.getValue().compareTo(wait) >= 0) {
                return t;
            }
        }
        return tiers.get(tiers.size() - 1);
    }

    public Duration backoff(int attemptsMade) {
        int doublings = Math.max(0, Math.min(attemptsMade - 1, 30));
        Duration d = minimal.multipliedBy(1L << doublings);
        return d.compareTo(maximal) > 0 ? maximal : d;
    }

    /** Tier names are durations: 90s, 1m, 15m, 1h, 4h, 1d (the backoff rules' durations read the same). */
    public static Duration parseTier(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.matches("\\d+[smhd]")) {
            throw new IllegalArgumentException("retry tier must be a number and s, m, h or d: " + name);
        }
        long v = Long.parseLong(n.substring(0, n.length() - 1));
        return switch (n.charAt(n.length() - 1)) {
            case 's' -> Duration.ofSeconds(v);
            case 'm' -> Duration.ofMinutes(v);
            case 'h' -> Duration.ofHours(v);
            default -> Duration.ofDays(v);
        };
    }
}
