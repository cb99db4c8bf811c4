package io.postbus.core.dns.dnsjava;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Reads one response to (name, type) from a recursive server: pure, no I/O, so every case is
 * testable without a socket.
 *
 * <p>TTLs are in seconds; a TTL of 0 means "do not cache".
 */
final class ResponseReader {
    /** Longer chains than this are treated as a loop (RFC 1034 §3.6.2 asks resolvers to detect them). */
    static final int MAX_CNAME_HOPS = 16;

    sealed interface Reading {
        /**
         * The answer RRset, reached through any CNAMEs; ttl is the smallest along the chain;
         * {@code ad} is the response's AD bit (whether it is believed is the resolver's business).
         */
        record Records(List<Record> records, long ttl, boolean ad) implements Reading {}

        /** NXDOMAIN or no data, with the RFC 2308 §5 negative TTL (0 when the SOA is missing). */
        record Negative(boolean nxdomain, long ttl) implements Reading {}

        /** The chain stops at a name the server did not resolve: ask again for {@code target}. */
        record Incomplete(Name target, long ttl, boolean ad) implements Reading {}

        record Failed(Kind kind, String detail) implements Reading {}
    }

    private ResponseReader() {}

    static Reading read(Message response, Name name, int type) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            // SERVFAIL and REFUSED were already turned into failures by Upstream; this is FORMERR,
            // NOTIMP and friends: nothing we can use.
            return new Reading.Failed(Kind.OTHER, "RCODE " + Rcode.string(rcode));
        }
        List<RRset> answer = response.getSectionRRsets(Section.ANSWER);
        Name current = name;
        long ttl = Long.MAX_VALUE;
        Set<Name> seen = new HashSet<>();
        while (seen.add(current)) {
            if (seen.size() > MAX_CNAME_HOPS) {
                return new Reading.Failed(Kind.SERVFAIL, "CNAME chain longer than " + MAX_CNAME_HOPS);
            }
            RRset data = find(answer, current, type);
            if (data != null) {
                return new Reading.Records(data.rrs(), Math.min(ttl, data.getTTL()), authenticData(response));
            }
            RRset alias = find(answer, current, Type.CNAME);
            if (alias == null) {
                return noRecords(response, rcode, name, current, ttl);
            }
            ttl = Math.min(ttl, alias.getTTL());
            current = ((CNAMERecord) alias.first()).getTarget();
        }
        return new Reading.Failed(Kind.SERVFAIL, "CNAME loop at " + current);
    }

    /**
     * No data for the last name of the chain. Per RFC 6604 the RCODE describes that last name, so
     * an alias to a missing name is NXDOMAIN. A NOERROR without SOA after a CNAME means the server
     * stopped at the alias (RFC 1034 §5.3.3 then has us restart at the target); a NOERROR with only
     * NS records is a referral: the "recursive" server isn't one.
     */
    private static Reading noRecords(Message response, int rcode, Name name, Name last, long chainTtl) {
        List<Record> authority = response.getSection(Section.AUTHORITY);
        SOARecord soa = authority.stream()
                .filter(r -> r instanceof SOARecord).map(r -> (SOARecord) r).findFirst().orElse(null);
        if (rcode == Rcode.NOERROR && soa == null) {
            if (!last.equals(name)) {
                return new Reading.Incomplete(last, chainTtl, authenticData(response));
            }
            if (authority.stream().anyMatch(r -> r.getType() == Type.NS)) {
                return new Reading.Failed(Kind.OTHER, "referral instead of an answer for " + name
                        + ": the upstream server does not recurse");
            }
        }
        return new Reading.Negative(rcode == Rcode.NXDOMAIN, Math.min(chainTtl, negativeTtl(soa)));
    }

    /**
     * RFC 4035 §3.2.3 / RFC 6840 §5.8: a validating resolver sets AD only when every RRset in the
     * answer and authority sections validated, so one bit covers the whole CNAME chain it sent.
     */
    static boolean authenticData(Message response) {
        return response.getHeader().getFlag(Flags.AD);
    }

    /** RFC 2308 §5: the lesser of the SOA's own TTL and its MINIMUM; uncacheable without an SOA. */
    private static long negativeTtl(SOARecord soa) {
        return soa == null ? 0 : Math.min(soa.getTTL(), soa.getMinimum());
    }

    private static RRset find(List<RRset> sets, Name name, int type) {
        for (RRset set : sets) {
            if (set.getType() == type && set.getName().equals(name)) {
                return set;
            }
        }
        return null;
    }
}
