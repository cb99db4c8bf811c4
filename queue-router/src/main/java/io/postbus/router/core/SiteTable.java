package io.postbus.router.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured sites ({@code delivery.sites}): each one a name with recipient domains and MX host
 * patterns, and a delivery topic of its own.
 *
 * <pre>
 *   gmail:gmail.com,googlemail.com,mx=*.google.com
 *   outlook:mx=*.mail.protection.outlook.com
 *   yahoo:yahoo.com yahoo:ymail.com
 * </pre>
 *
 * An {@code mx=} pattern is a host name ({@code mx1.example.net}) or {@code *.} and a suffix of at
 * least two labels; {@code *} stands for one or more labels, so {@code *.google.com} matches
 * {@code aspmx.l.google.com} but not {@code google.com}. An exact host wins over a pattern, a
 * longer suffix over a shorter one. A domain or a pattern in two sites is an error: which site
 * would win would depend on the order of the configuration.
 */
public final class SiteTable {
    /** Configured names have their own topic {@code mail.deliver.<name>}, so they follow topic rules. */
    private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern HOST = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final String MX = "mx=";

    private final Map<String, String> siteOfDomain;
    private final Map<String, String> siteOfHost;
    private final Map<String, String> siteOfSuffix;
    private final Set<String> names;

    private SiteTable(Set<String> names, Map<String, String> siteOfDomain, Map<String, String> siteOfHost,
                      Map<String, String> siteOfSuffix) {
        this.names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
        this.siteOfDomain = Map.copyOf(siteOfDomain);
        this.siteOfHost = Map.copyOf(siteOfHost);
        this.siteOfSuffix = Map.copyOf(siteOfSuffix);
    }

    public static SiteTable empty() {
        return new SiteTable(Set.of(), Map.of(), Map.of(), Map.of());
    }

    /** Recipient domain → site, the form before MX patterns; names are checked as {@link #parse} does. */
    public static SiteTable ofDomains(Map<String, String> siteOfDomain) {
        List<String> entries = new ArrayList<>();
        siteOfDomain.forEach((domain, site) -> entries.add(site + ":" + domain));
        return parse(entries);
    }

    /**
     * Parses configuration list items. An item {@code site:x,y} starts a site; an item without
     * {@code site:} continues the one before (a main.cf-style list splits at commas and blanks,
     * so {@code gmail:gmail.com, googlemail.com} arrives as two items).
     *
     * @throws IllegalArgumentException naming every problem found
     */
    public static SiteTable parse(List<String> items) {
        Map<String, String> domains = new LinkedHashMap<>();
        Map<String, String> hosts = new LinkedHashMap<>();
        Map<String, String> suffixes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        String site = null;
        for (String item : items) {
            String rest = item.strip();
            int colon = rest.indexOf(':');
            if (colon >= 0) {
                site = rest.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                rest = rest.substring(colon + 1);
                names.add(site);
                if (!SITE.matcher(site).matches()) {
                    problems.add("site name '" + site + "' must be 1-63 of a-z, 0-9 and '-' (it names the topic mail.deliver.<site>)");
                } else if (site.equals(Site.SHARED_TOPIC_SITE)) {
                    problems.add("site name 'default' is the shared topic mail.deliver.default; choose another name");
                }
                if (rest.strip().isEmpty() || rest.strip().equals(",")) {
                    problems.add("site " + site + " lists nothing: write " + site + ":domain[,domain][,mx=pattern]");
                }
            } else if (site == null) {
                problems.add("delivery.sites must start with site:, e.g. gmail:gmail.com,mx=*.google.com, not '" + item + "'");
                continue;
            }
            for (String part : rest.split(",")) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                if (!p.isEmpty()) {
                    add(site, p, domains, hosts, suffixes, problems);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new SiteTable(names, domains, hosts, suffixes);
    }

    private static void add(String site, String p, Map<String, String> domains, Map<String, String> hosts,
                            Map<String, String> suffixes, List<String> problems) {
        if (!p.startsWith(MX)) {
            if (p.contains("=")) {
                problems.add("site " + site + ": unknown item '" + p + "' (domains, and mx=pattern for MX hosts)");
            } else if (!HOST.matcher(strip(p)).matches()) {
                problems.add("site " + site + ": '" + p + "' is not a domain name");
            } else {
                put(domains, strip(p), site, "domain ", problems);
            }
            return;
        }
        String pattern = strip(p.substring(MX.length()));
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(2);
            if (!HOST.matcher(suffix).matches() || !suffix.contains(".")) {
                problems.add("site " + site + ": mx pattern '" + pattern
                        + "' must be *. and a domain of two labels or more, e.g. *.google.com");
            } else {
                put(suffixes, suffix, site, "mx pattern *.", problems);
            }
        } else if (!HOST.matcher(pattern).matches()) {
            problems.add("site " + site + ": mx pattern '" + pattern + "' must be a host name or *.domain ('*' only as the whole first label)");
        } else {
            put(hosts, pattern, site, "mx host ", problems);
        }
    }

    private static void put(Map<String, String> map, String key, String site, String what, List<String> problems) {
        String previous = map.putIfAbsent(key, site);
        if (previous != null && !previous.equals(site)) {
            problems.add(what + key + " is in two sites: " + previous + " and " + site);
        }
    }

    private static String strip(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** The site that lists this recipient domain. */
    public Optional<String> byDomain(String domain) {
        return Optional.ofNullable(siteOfDomain.get(strip(domain.toLowerCase(Locale.ROOT))));
    }

    /** The site whose {@code mx=} patterns match this host: exact host first, then the longest suffix. */
    public Optional<String> byMxHost(String host) {
        String h = strip(host.toLowerCase(Locale.ROOT));
        String exact = siteOfHost.get(h);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int dot = h.indexOf('.'); dot >= 0; dot = h.indexOf('.', dot + 1)) {
            String site = siteOfSuffix.get(h.substring(dot + 1));
            if (site != null) {
                return Optional.of(site);
            }
        }
        return Optional.empty();
    }

    /** Whether any {@code mx=} pattern is configured. */
    public boolean hasMxPatterns() {
        return !siteOfHost.isEmpty() || !siteOfSuffix.isEmpty();
    }

    /** The configured site names in configuration order, each with a delivery topic of its own. */
    public Set<String> names() {
        return names;
    }

    /** Recipient domain → site, as configured. */
    public Map<String, String> siteOfDomain() {
        return siteOfDomain;
    }
}
