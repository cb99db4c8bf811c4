package io.postbus.delivery.route;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Finds the servers to try for a destination (RFC 5321 §5.1): MX records sorted by preference,
 * equal preferences shuffled to spread load, the domain itself when it has no MX (implicit MX),
 * nothing at all for a null MX (RFC 7505). Each host comes with its A and AAAA addresses.
 *
 * <p>Pure: all it knows of the world comes from the injected {@link DnsResolver}, and all its
 * chance from the injected {@link RandomGenerator}. It blocks while the resolver does, so run it
 * off the event loop.
 */
public final class MxResolver {

    private final DnsResolver dns;
    private final RandomGenerator random;

    public MxResolver(DnsResolver dns, RandomGenerator random) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The servers for a recipient domain, or an address literal like "[192.0.2.1]". */
    public MxResult resolve(String domain) {
        return resolve(NextHop.forDomain(domain));
    }

    public MxResult resolve(NextHop hop) {
        if (hop.address().isPresent()) {
            return new MxResult.Hosts(hop, List.of(new MxHost(hop.host(), 0, List.of(hop.address().get()),
                    hop.port())), false);
        }
        if (!hop.mxLookup()) {
            return resolveHosts(hop, List.of(new MxRecord(0, hop.host())), false);
        }
        DnsResult<List<MxRecord>> mx = dns.mx(hop.host());
        if (mx instanceof DnsResult.Answer<List<MxRecord>> answer && !answer.value().isEmpty()) {
            List<MxRecord> records = answer.value();
            if (records.stream().anyMatch(MxRecord::isNullMx)) {
                // RFC 7505 §3: "0 ." says the domain takes no mail. Other records beside it are a
                // misconfiguration; we honour the explicit refusal rather than guess.
                return failed(hop, RouteFailure.NULL_MX, "Domain " + hop.host() + " does not accept mail (null MX)");
            }
            return resolveHosts(hop, ordered(records), false);
        }
        if (mx instanceof DnsResult.Answer || mx instanceof DnsResult.NoData) {
            // RFC 5321 §5.1: no MX records, so the domain is its own implicit MX, preference 0.
            return resolveHosts(hop, List.of(new MxRecord(0, hop.host())), true);
        }
        if (mx instanceof DnsResult.NxDomain) {
            return failed(hop, RouteFailure.NO_SUCH_DOMAIN, "Domain " + hop.host() + " does not exist (NXDOMAIN)");
        }
        DnsResult.Failure<List<MxRecord>> f = (DnsResult.Failure<List<MxRecord>>) mx;
        return failed(hop, RouteFailure.DNS_FAILURE, "MX lookup for " + hop.host() + " failed: " + describe(f));
    }

    /**
     * Sorted by preference; within one preference, shuffled (RFC 5321 §5.1: "randomize" so load
     * spreads over equal servers). The same host listed twice keeps its best preference.
     */
    private List<MxRecord> ordered(List<MxRecord> records) {
        Map<String, MxRecord> best = new LinkedHashMap<>();
        for (MxRecord r : records) {
            best.merge(r.exchange(), r, (a, b) -> a.preference() <= b.preference() ? a : b);
        }
        List<MxRecord> sorted = new ArrayList<>(best.values());
        sorted.sort(Comparator.comparingInt(MxRecord::preference));
        int start = 0;
        while (start < sorted.size()) {
            int end = start;
            while (end < sorted.size() && sorted.get(end).preference() == sorted.get(start).preference()) {
                end++;
            }
            shuffle(sorted, start, end);
            start = end;
        }
        return sorted;
    }

    /** Fisher-Yates over [from, to). */
    private void shuffle(List<MxRecord> list, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            int j = from + random.nextInt(i - from + 1);
            MxRecord tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    /**
     * Looks up the addresses of each host. Hosts without any are left out, as long as one host
     * has some: a dead backup MX must not stop delivery to a live primary (nor the reverse).
     * With none at all, a DNS failure anywhere makes the whole result transient.
     */
    private MxResult resolveHosts(NextHop hop, List<MxRecord> records, boolean implicit) {
        List<MxHost> hosts = new ArrayList<>(records.size());
        String failure = null;
        for (MxRecord r : records) {
            List<InetAddress> addresses = new ArrayList<>();
            DnsResult<List<InetAddress>> a = dns.a(r.exchange());
            DnsResult<List<InetAddress>> aaaa = dns.aaaa(r.exchange());
            for (DnsResult<List<InetAddress>> result : List.of(a, aaaa)) {
                if (result instanceof DnsResult.Answer<List<InetAddress>> answer) {
                    addresses.addAll(answer.value());
                } else if (result instanceof DnsResult.Failure<List<InetAddress>> f && failure == null) {
                    failure = "address lookup for " + r.exchange() + " failed: " + describe(f);
                }
            }
            if (!addresses.isEmpty()) {
                hosts.add(new MxHost(r.exchange(), r.preference(), addresses.stream().distinct().toList(), hop.port()));
            }
        }
        if (!hosts.isEmpty()) {
            return new MxResult.Hosts(hop, hosts, implicit);
        }
        if (failure != null) {
            return failed(hop, RouteFailure.DNS_FAILURE, failure);
        }
        String detail = implicit || !hop.mxLookup()
                ? "Host " + hop.host() + " has no address record (A or AAAA)"
                : "No MX host for " + hop.host() + " has an address record (A or AAAA)";
        return failed(hop, RouteFailure.NO_ADDRESS, detail);
    }

    private static MxResult failed(NextHop hop, RouteFailure failure, String detail) {
        return new MxResult.Failed(hop, failure, detail);
    }

    /** A resolver's detail may be anything; keep it to one printable line for the SMTP reply. */
    private static String describe(DnsResult.Failure<?> f) {
        String detail = f.detail() == null || f.detail().isBlank() ? "" : ": " + f.detail();
        return (String.valueOf(f.kind()) + detail).replaceAll("[\\p{Cntrl}]", " ");
    }
}
