package io.postbus.ingress.dnsbl;

import io.postbus.core.dns.DnsNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code postscreen_dnsbl_sites} entry, in Postfix's syntax {@code zone[=filter][*weight]}:
 * {@code zen.spamhaus.org*3}, {@code b.barracudacentral.org=127.0.0.[2..11]*2},
 * {@code bl.spameatingmonkey.net} (weight 1), {@code list.dnswl.org=127.0.[0..255].[0..255]*-2}
 * (a negative weight allowlists).
 *
 * <p>Which answers count (RFC 5782 §2.1, §2.3): with a filter, exactly the A records the filter
 * matches, as in Postfix. Without one, Postfix takes any answer; we take only answers in
 * 127.0.0.0/8. RFC 5782 §2.1 says the A record of a listing is not to be used as an address and is
 * conventionally 127.0.0.2, and the multi-valued lists of §2.3 stay in 127/8; an answer outside it
 * is what a lapsed or hijacked list domain gives (a parking wildcard), and counting it would block
 * every client. An operator who really wants such answers says so with an explicit filter.
 *
 * <p>Several entries may name the same zone with different filters and weights; the zone is then
 * queried once. An entry adds its weight at most once, however many answers match it.
 *
 * @param zone   the list's DNS domain, lower-case, without a trailing dot
 * @param filter which answers count; empty = any answer in 127.0.0.0/8
 * @param weight added to the client's score when the entry matches; negative for an allowlist
 */
public record DnsblSite(String zone, Optional<ReplyFilter> filter, int weight) {

    /** A query name is the 63-character IPv6 nibble form, a dot, then the zone: 253 at most (RFC 1035 §2.3.4). */
    static final int MAX_ZONE_LENGTH = 253 - 64;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern WEIGHT = Pattern.compile("[+-]?[0-9]{1,10}");

    public DnsblSite {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(filter, "filter");
        zone = DnsNames.normalize(zone);
        String problem = zoneProblem(zone);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Parses one entry; the exception's message quotes it and says what is wrong. */
    public static DnsblSite parse(String entry) {
        Objects.requireNonNull(entry, "entry");
        try {
            return parseEntry(entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DNSBL site \"" + entry + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a whole {@code postscreen_dnsbl_sites} value: entries separated by commas or white space.
     * Every bad entry is reported in one exception, so a configuration is fixed in one go.
     */
    public static List<DnsblSite> parseList(String text) {
        return parseAll(split(text));
    }

    /** Parses entries already split (a configuration list); each may itself hold several, as in Postfix. */
    public static List<DnsblSite> parseAll(Collection<String> entries) {
        List<DnsblSite> sites = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String item : entries) {
            for (String entry : split(item)) {
                try {
                    sites.add(parse(entry));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("postscreen_dnsbl_sites: " + String.join("; ", problems));
        }
        return List.copyOf(sites);
    }

    /**
     * The answers that make this entry match (RFC 5782 §2.1, §2.3): those the filter accepts, or
     * without a filter those in 127.0.0.0/8. Empty = this entry does not list the client.
     */
    public List<InetAddress> matching(List<InetAddress> answers) {
        return answers.stream()
                .filter(a -> filter.map(f -> f.matches(a)).orElseGet(() -> inLoopbackNet(a)))
                .toList();
    }

    /** The entry in Postfix syntax; the weight is left out when it is the default 1. */
    @Override
    public String toString() {
        return zone + filter.map(f -> "=" + f).orElse("") + (weight == 1 ? "" : "*" + weight);
    }

    private static DnsblSite parseEntry(String entry) {
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("empty entry");
        }
        int star = entry.indexOf('*');
        String head = star < 0 ? entry : entry.substring(0, star);
        int weight = 1;
        if (star >= 0) {
            String w = entry.substring(star + 1);
            if (!WEIGHT.matcher(w).matches()) {
                throw new IllegalArgumentException("weight \"" + w + "\" after '*' is not an integer");
            }
            long value = Long.parseLong(w);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("weight " + w + " is out of range");
            }
            weight = (int) value;
        }
        int eq = head.indexOf('=');
        String zone = eq < 0 ? head : head.substring(0, eq);
        Optional<ReplyFilter> filter = Optional.empty();
        if (eq >= 0) {
            String f = head.substring(eq + 1);
            if (f.isEmpty()) {
                throw new IllegalArgumentException("empty filter after '='");
            }
            filter = Optional.of(ReplyFilter.parse(f));
        }
        return new DnsblSite(zone, filter, weight);
    }

    private static String zoneProblem(String zone) {
        if (zone.isEmpty()) {
            return "no DNSBL domain";
        }
        if (zone.length() > MAX_ZONE_LENGTH) {
            return "domain is longer than " + MAX_ZONE_LENGTH + " characters, too long for IPv6 queries";
        }
        for (String label : zone.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "\"" + zone + "\" is not a domain name (label \"" + label + "\")";
            }
        }
        return null;
    }

    /**
     * Splits on commas and white space, except inside "[ ]": "127.0.0.[2,4]" then reaches the filter
     * parser whole, which can say to use ';' there, instead of two puzzling half-entries.
     */
    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '[' ? 1 : c == ']' && depth > 0 ? -1 : 0;
            if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                if (current.length() > 0) {
                    out.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    private static boolean inLoopbackNet(InetAddress a) {
        return a instanceof Inet4Address && (a.getAddress()[0] & 0xff) == 127;
    }
}
