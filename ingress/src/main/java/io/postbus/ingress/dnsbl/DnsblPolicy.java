package io.postbus.ingress.dnsbl;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to ask and when to reject: Postfix's {@code postscreen_dnsbl_sites},
 * {@code postscreen_dnsbl_threshold} and {@code postscreen_dnsbl_timeout} as one immutable value.
 *
 * @param sites     the entries, in configuration order (the reply names the first positive listing)
 * @param threshold the client is rejected when its score is at least this; at least 1, since a
 *                  threshold of 0 or less would reject clients that no list names
 * @param deadline  how long one check may wait for all its lookups together; a list that has not
 *                  answered by then counts as not listed (a failure, reported)
 */
public record DnsblPolicy(List<DnsblSite> sites, int threshold, Duration deadline) {

    /** Postfix's default {@code postscreen_dnsbl_threshold}. */
    public static final int DEFAULT_THRESHOLD = 1;

    /** Postfix's default {@code postscreen_dnsbl_timeout}. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

    /** No lists: every check passes without a query. */
    public static final DnsblPolicy DISABLED = new DnsblPolicy(List.of(), DEFAULT_THRESHOLD, DEFAULT_DEADLINE);

    public DnsblPolicy {
        sites = List.copyOf(sites);
        Objects.requireNonNull(deadline, "deadline");
        if (threshold < 1) {
            throw new IllegalArgumentException("postscreen_dnsbl_threshold must be at least 1, not " + threshold);
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the DNSBL deadline must be positive, not " + deadline);
        }
    }

    /** Parses a {@code postscreen_dnsbl_sites} value (entries separated by commas or white space). */
    public static DnsblPolicy parse(String sites, int threshold, Duration deadline) {
        return new DnsblPolicy(DnsblSite.parseList(sites), threshold, deadline);
    }

    public boolean enabled() {
        return !sites.isEmpty();
    }

    /** The distinct zones to query, in configuration order: one query each, whatever the entries. */
    public List<String> zones() {
        return sites.stream().map(DnsblSite::zone).distinct().toList();
    }
}
