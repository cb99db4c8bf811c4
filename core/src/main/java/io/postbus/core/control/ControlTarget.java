package io.postbus.core.control;

import java.util.Locale;
import java.util.Objects;

/**
 * What a command applies to. Destinations and sites are case-insensitive names (kept in lower
 * case); queue ids are kept as written. {@link #key()} is the compacted topic's key, so the latest
 * command for a target replaces the earlier ones.
 */
public record ControlTarget(TargetKind kind, String value) {
    public ControlTarget {
        Objects.requireNonNull(kind, "kind");
        value = kind == TargetKind.ALL ? "" : Objects.requireNonNull(value, "value").strip();
        if (kind != TargetKind.ALL && value.isEmpty()) {
            throw new IllegalArgumentException(kind + " needs a value");
        }
        if (kind == TargetKind.DESTINATION || kind == TargetKind.SITE) {
            value = value.toLowerCase(Locale.ROOT);
        }
    }

    public static ControlTarget all() {
        return new ControlTarget(TargetKind.ALL, "");
    }

    public static ControlTarget queueId(String id) {
        return new ControlTarget(TargetKind.QUEUE_ID, id);
    }

    public static ControlTarget destination(String domain) {
        return new ControlTarget(TargetKind.DESTINATION, domain);
    }

    public static ControlTarget site(String site) {
        return new ControlTarget(TargetKind.SITE, site);
    }

    /** The record key on mail.control: {@code queue-id:ABC123}, {@code all:}, {@code site:gmail}. */
    public String key() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + ":" + value;
    }
}
