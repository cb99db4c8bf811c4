package io.postbus.core.suppression;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current suppression list: the latest entry per address, as the compacted topic holds it.
 * Thread-safe: one reader thread applies the topic while stage threads look addresses up. Expired
 * entries stay until their tombstone or replacement (the topic is the truth) but never match.
 */
public final class SuppressionList {
    private final Map<String, Suppression> entries = new ConcurrentHashMap<>();

    /** An entry from the topic; a later entry for the same address replaces the earlier. */
    public void put(Suppression entry) {
        entries.put(entry.address(), entry);
    }

    /** A tombstone: the address is no longer suppressed. */
    public void remove(String address) {
        entries.remove(Suppression.key(address));
    }

    /** The live entry for an address, if any; an unparsable address is never suppressed. */
    public Optional<Suppression> find(String address, Instant now) {
        String key;
        try {
            key = Suppression.key(address);
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
        Suppression s = entries.get(key);
        return s != null && s.liveAt(now) ? Optional.of(s) : Optional.empty();
    }

    public boolean isSuppressed(String address, Instant now) {
        return find(address, now).isPresent();
    }

    /** Every live entry, by address. */
    public List<Suppression> live(Instant now) {
        return entries.values().stream().filter(s -> s.liveAt(now))
                .sorted(Comparator.comparing(Suppression::address)).toList();
    }

    /** Entries held, expired ones included. */
    public int size() {
        return entries.size();
    }
}
