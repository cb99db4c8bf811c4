package io.postbus.ingress.dnsbl;

import io.postbus.core.dns.DnsResult;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one check: the score, the decision, and what it rests on.
 *
 * @param client    the address that was checked (IPv4-mapped IPv6 already unwrapped)
 * @param score     sum of the weights of the matching entries
 * @param threshold the policy's threshold the score was held against
 * @param decision  REJECT when {@code score >= threshold}, else PASS
 * @param listings  the entries that matched, in configuration order, allowlist entries included
 * @param failures  the zones whose lookup failed or missed the deadline, counted as not listed
 */
public record DnsblVerdict(InetAddress client, int score, int threshold, Decision decision,
                           List<Listing> listings, List<LookupFailure> failures) {

    /** What the connection handler should do with the client. */
    public enum Decision {
        /** Go on to the greeting. */
        PASS,
        /** Refuse the session with the 554 of {@link DnsblReply}. */
        REJECT
    }

    /**
     * One entry that matched.
     *
     * @param site    the entry, with its weight
     * @param query   the name that was looked up
     * @param answers the A records that made it match (those its filter accepts)
     */
    public record Listing(DnsblSite site, String query, List<InetAddress> answers) {
        public Listing {
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(query, "query");
            answers = List.copyOf(answers);
            if (answers.isEmpty()) {
                throw new IllegalArgumentException("a listing rests on at least one answer");
            }
        }
    }

    /**
     * A zone that gave no usable answer. Transient by nature: the same query may work next time.
     *
     * @param zone   the list's domain
     * @param query  the name that was looked up
     * @param kind   TIMEOUT also when our own deadline ran out before the resolver answered
     * @param detail for the log
     */
    public record LookupFailure(String zone, String query, DnsResult.Failure.Kind kind, String detail) {
        public LookupFailure {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(kind, "kind");
        }
    }

    public DnsblVerdict {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(decision, "decision");
        listings = List.copyOf(listings);
        failures = List.copyOf(failures);
        if (decision != (score >= threshold ? Decision.REJECT : Decision.PASS)) {
            throw new IllegalArgumentException("decision " + decision + " does not follow from score "
                    + score + " against threshold " + threshold);
        }
    }

    public boolean rejected() {
        return decision == Decision.REJECT;
    }

    /**
     * The zone a rejection names: the first listing with a positive weight, in configuration order,
     * as postscreen names the first blocklist that contributed. Empty when nothing blocklists the client.
     */
    public Optional<String> blockingZone() {
        return listings.stream().filter(l -> l.site().weight() > 0).map(l -> l.site().zone()).findFirst();
    }
}
