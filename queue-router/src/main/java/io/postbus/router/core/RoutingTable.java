package io.postbus.router.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The walking skeleton's routing rules: Postfix's default address class (MX delivery), or every
 * message to one {@code relayhost}; destinations grouped into configured sites.
 *
 * @param relayhost     Postfix relayhost syntax ({@code [host]:port} or {@code host}); null = MX delivery
 * @param siteOfDomain  recipient domain → site, for destinations with a dedicated delivery topic
 */
public record RoutingTable(String relayhost, Map<String, String> siteOfDomain) {
    public static final String DEFAULT_SITE = "default";

    public RoutingTable {
        siteOfDomain = siteOfDomain.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT), e -> e.getValue().toLowerCase(Locale.ROOT)));
        if (relayhost != null && relayhost.isBlank()) {
            relayhost = null;
        }
    }

    /** Parses {@code site:domain,domain} entries, e.g. {@code gmail:gmail.com,googlemail.com}. */
    public static Map<String, String> parseSites(List<String> entries) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("site entry must be site:domain[,domain...]: " + entry);
            }
            String site = entry.substring(0, colon);
            for (String domain : entry.substring(colon + 1).split(",")) {
                String previous = out.put(domain.toLowerCase(Locale.ROOT), site);
                if (previous != null && !previous.equals(site)) {
                    throw new IllegalArgumentException("domain " + domain + " is in two sites: " + previous + " and " + site);
                }
            }
        }
        return out;
    }

    public String siteOf(String domain) {
        Objects.requireNonNull(domain, "domain");
        return siteOfDomain.getOrDefault(domain.toLowerCase(Locale.ROOT), DEFAULT_SITE);
    }
}
