package io.postbus.core.dns.zone;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One zone's data, answering as its authoritative server would (RFC 1034 §4.3.2 step 3, with
 * wildcards per RFC 4592 and DNAME per RFC 6672).
 *
 * <p>Not {@code org.xbill.DNS.Zone.findRecords}: it answers NXDOMAIN for an empty non-terminal
 * (such as {@code _domainkey.example.com} when only {@code sel._domainkey.example.com} has data,
 * which must be no data, RFC 8020), NXDOMAIN when a wildcard matches but lacks the type (must be
 * no data), lets {@code *.example.com} match below an existing {@code sub.example.com} (RFC 4592
 * §2.2.1 says the closest encloser's wildcard only), and does not synthesize a wildcard CNAME.
 * The walk below is short enough to own.
 */
final class AuthoritativeZone {

    /** What the zone says about one (name, type). Records are owned by the query name. */
    sealed interface Answer {
        record Found(List<Record> records) implements Answer {}

        record Alias(CNAMERecord cname) implements Answer {}

        record NxDomain() implements Answer {}

        record NoData() implements Answer {}

        /** Below a zone cut: the data lives in a child zone. */
        record Delegated(Name cut) implements Answer {}
    }

    private final Name apex;
    private final List<Record> records;
    private final SOARecord soa;
    private final Map<Name, Map<Integer, List<Record>>> nodes = new HashMap<>();
    /** Every owner name and each of its ancestors up to the apex: empty non-terminals exist too. */
    private final Set<Name> existing = new HashSet<>();

    AuthoritativeZone(Name apex, List<Record> records) {
        this.apex = apex;
        this.records = List.copyOf(records);
        SOARecord found = null;
        for (Record r : records) {
            if (!r.getName().subdomain(apex)) {
                throw new IllegalArgumentException(r.getName() + " is outside zone " + apex);
            }
            nodes.computeIfAbsent(r.getName(), n -> new HashMap<>())
                    .computeIfAbsent(r.getRRsetType(), t -> new ArrayList<>()).add(r);
            for (Name n = r.getName(); existing.add(n) && !n.equals(apex); n = new Name(n, 1)) {
                // walk up until a name already known (its ancestors are then known too)
            }
            if (r instanceof SOARecord s && r.getName().equals(apex)) {
                found = s;
            }
        }
        existing.add(apex);
        this.soa = found;
    }

    Name apex() {
        return apex;
    }

    /** The records as loaded, before any wildcard or DNAME synthesis. */
    List<Record> records() {
        return records;
    }

    /** The SOA for negative answers; absent for zone text that had none. */
    Optional<SOARecord> soa() {
        return Optional.ofNullable(soa);
    }

    /** Looks up a name at or below the apex. */
    Answer lookup(Name name, int type) {
        int below = name.labels() - apex.labels();
        // Walk down from the apex, one label at a time, looking for cuts, DNAMEs and the point
        // where the name stops existing (its closest encloser).
        for (int strip = below - 1; strip >= 0; strip--) {
            Name node = strip == 0 ? name : new Name(name, strip);
            if (!existing.contains(node)) {
                return wildcard(name, strip + 1, type);
            }
            Map<Integer, List<Record>> sets = nodes.getOrDefault(node, Map.of());
            if (sets.containsKey(Type.NS)) {
                return new Answer.Delegated(node);
            }
            if (strip > 0 && sets.containsKey(Type.DNAME)) {
                return dname(name, (DNAMERecord) sets.get(Type.DNAME).get(0));
            }
        }
        return atNode(name, nodes.getOrDefault(name, Map.of()), type);
    }

    /**
     * RFC 4592 §3.3.1: only the wildcard directly below the closest encloser can match; if it
     * does not exist the name does not either.
     */
    private Answer wildcard(Name name, int missingLabels, int type) {
        Name source = name.wild(missingLabels);
        if (!existing.contains(source)) {
            return new Answer.NxDomain();
        }
        return atNode(name, nodes.getOrDefault(source, Map.of()), type);
    }

    /** The data at an existing node (itself, or a wildcard that matched), owned by the query name. */
    private static Answer atNode(Name name, Map<Integer, List<Record>> sets, int type) {
        List<Record> wanted = sets.get(type);
        if (wanted != null) {
            return new Answer.Found(wanted.stream().map(r -> r.withName(name)).toList());
        }
        List<Record> cname = sets.get(Type.CNAME);
        if (cname != null) {
            return new Answer.Alias((CNAMERecord) cname.get(0).withName(name));
        }
        return new Answer.NoData();
    }

    /** RFC 6672 §2.2: a DNAME above the name becomes a CNAME to the name rewritten below the target. */
    private static Answer dname(Name name, DNAMERecord dname) {
        try {
            return new Answer.Alias(new CNAMERecord(name, DClass.IN, dname.getTTL(), name.fromDNAME(dname)));
        } catch (NameTooLongException e) {
            // RFC 6672 answers YXDOMAIN: the rewritten name cannot exist.
            return new Answer.NxDomain();
        }
    }
}
