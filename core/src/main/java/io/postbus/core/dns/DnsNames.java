package io.postbus.core.dns;

import java.util.Locale;

/** Name normalisation shared by every resolver and caller: lower-case, no trailing dot. */
public final class DnsNames {
    private DnsNames() {}

    /** Lower-cases with {@link Locale#ROOT} and strips one trailing dot; the root "." becomes "". */
    public static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
