package io.postbus.delivery.route;

import io.postbus.core.dns.DnsNames;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DNS made of a few maps, for tests. A name that has any record exists (other types give
 * NoData); other names are NXDOMAIN; names marked failing give a SERVFAIL failure for every type.
 */
final class MapDnsResolver implements DnsResolver {

    private final Map<String, List<MxRecord>> mx = new HashMap<>();
    private final Map<String, List<InetAddress>> a = new HashMap<>();
    private final Map<String, List<InetAddress>> aaaa = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    private final Set<String> existing = new HashSet<>();
    final List<String> queries = new ArrayList<>();

    MapDnsResolver mx(String name, int preference, String exchange) {
        mx.computeIfAbsent(key(name), k -> new ArrayList<>()).add(new MxRecord(preference, exchange));
        return this;
    }

    MapDnsResolver a(String name, String... addresses) {
        a.computeIfAbsent(key(name), k -> new ArrayList<>()).addAll(parse(addresses));
        return this;
    }

    MapDnsResolver aaaa(String name, String... addresses) {
        aaaa.computeIfAbsent(key(name), k -> new ArrayList<>()).addAll(parse(addresses));
        return this;
    }

    /** The name exists but has none of the records asked for (e.g. only a TXT record). */
    MapDnsResolver exists(String name) {
        existing.add(key(name));
        return this;
    }

    MapDnsResolver failing(String name) {
        failing.add(key(name));
        return this;
    }

    @Override
    public DnsResult<List<String>> txt(String name) {
        return lookup("TXT", name, Map.of());
    }

    @Override
    public DnsResult<List<MxRecord>> mx(String name) {
        return lookup("MX", name, mx);
    }

    @Override
    public DnsResult<List<InetAddress>> a(String name) {
        return lookup("A", name, a);
    }

    @Override
    public DnsResult<List<InetAddress>> aaaa(String name) {
        return lookup("AAAA", name, aaaa);
    }

    @Override
    public DnsResult<List<String>> ptr(InetAddress address) {
        return new DnsResult.NxDomain<>(address.getHostAddress());
    }

    private <T> DnsResult<List<T>> lookup(String type, String name, Map<String, List<T>> table) {
        String k = key(name);
        queries.add(type + " " + k);
        if (failing.contains(k)) {
            return new DnsResult.Failure<>(k, DnsResult.Failure.Kind.SERVFAIL, "test says SERVFAIL");
        }
        List<T> records = table.get(k);
        if (records != null) {
            return DnsResult.answer(List.copyOf(records));
        }
        boolean exists = existing.contains(k) || mx.containsKey(k) || a.containsKey(k) || aaaa.containsKey(k);
        return exists ? new DnsResult.NoData<>(k) : new DnsResult.NxDomain<>(k);
    }

    private static String key(String name) {
        return DnsNames.normalize(name);
    }

    private static List<InetAddress> parse(String... addresses) {
        List<InetAddress> out = new ArrayList<>();
        for (String s : addresses) {
            try {
                out.add(InetAddress.getByName(s)); // literals only: no lookup happens
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(s, e);
            }
        }
        return out;
    }
}
