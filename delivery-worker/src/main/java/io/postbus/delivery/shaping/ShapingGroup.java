package io.postbus.delivery.shaping;

import java.util.Locale;

/**
 * Which traffic is shaped together. The router's site names the group when it is a configured site
 * ({@code gmail}); mail of the catch-all site {@code default} is shaped per destination domain (or
 * next hop), since limiting every small receiver as one would let one of them slow all the others.
 */
public final class ShapingGroup {
    /** The router's catch-all site (queue-router RoutingTable.DEFAULT_SITE). */
    public static final String CATCH_ALL_SITE = "default";

    private ShapingGroup() {}

    public static String of(String site, String destination) {
        String s = site == null ? CATCH_ALL_SITE : site.toLowerCase(Locale.ROOT);
        return s.equals(CATCH_ALL_SITE) ? destination.toLowerCase(Locale.ROOT) : s;
    }
}
