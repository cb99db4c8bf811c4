package io.postbus.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/** Identifier alignment mode ({@code adkim}, {@code aspf}; RFC 7489 §3.1, §6.3). */
public enum AlignmentMode {
    /** Same Organizational Domain ({@code r}, the default). */
    RELAXED,
    /** Exactly the same domain ({@code s}). */
    STRICT;

    public String tag() {
        return this == RELAXED ? "r" : "s";
    }

    public static Optional<AlignmentMode> parse(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "r": return Optional.of(RELAXED);
            case "s": return Optional.of(STRICT);
            default: return Optional.empty();
        }
    }
}
