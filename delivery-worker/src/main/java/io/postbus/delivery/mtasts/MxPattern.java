package io.postbus.delivery.mtasts;

import java.util.Locale;
import java.util.Objects;

/**
 * One {@code mx:} line of a policy (RFC 8461 §4.1): a host name, or {@code *.} and a domain, where
 * the wildcard stands for exactly one left-most label ({@code *.example.com} matches
 * {@code mx1.example.com}, but neither {@code example.com} nor {@code a.b.example.com}).
 *
 * @param pattern lower case, without a trailing dot
 */
public record MxPattern(String pattern) {

    public MxPattern {
        Objects.requireNonNull(pattern, "pattern");
        pattern = normalize(pattern);
        String rest = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (rest.isEmpty() || rest.contains("*") || rest.startsWith(".") || rest.contains("..")
                || rest.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new IllegalArgumentException("not an MX pattern: " + pattern);
        }
    }

    public boolean isWildcard() {
        return pattern.startsWith("*.");
    }

    /** Whether an MX host name (as found in DNS) is one this pattern allows. */
    public boolean matches(String mxHost) {
        String host = normalize(mxHost);
        if (!isWildcard()) {
            return host.equals(pattern);
        }
        String parent = pattern.substring(1); // ".example.com"
        if (!host.endsWith(parent)) {
            return false;
        }
        String label = host.substring(0, host.length() - parent.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    private static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
