package io.postbus.auth.arc;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Serves the TXT records a conformance scenario publishes, and nothing else: every other name is
 * NXDOMAIN, and names listed as failing answer with a SERVFAIL-like failure. The records are the suite's
 * own data, so this is the suite's DNS, not a stand-in for behaviour under test.
 */
final class TxtRecordsResolver implements DnsResolver {
    private final Map<String, String> txt;
    private final Set<String> failing;

    private TxtRecordsResolver(Map<String, String> txt, Set<String> failing) {
        this.txt = txt;
        this.failing = failing;
    }

    /**
     * @param records name to TXT value. A value written over several lines (YAML literal blocks) is one
     *                record made of several character-strings, joined without separator (RFC 6376 §3.6.2.2).
     */
    static TxtRecordsResolver of(Map<String, String> records) {
        Map<String, String> out = new HashMap<>();
        records.forEach((name, value) -> out.put(normal(name), value.replace("\r", "").replace("\n", "")));
        return new TxtRecordsResolver(out, Set.of());
    }

    /** The same records, with DNS failing for these names. */
    TxtRecordsResolver failing(String... names) {
        Set<String> f = new java.util.HashSet<>(failing);
        for (String n : names) {
            f.add(normal(n));
        }
        return new TxtRecordsResolver(txt, Set.copyOf(f));
    }

    private static String normal(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public DnsResult<List<String>> txt(String name) {
        String n = normal(name);
        if (failing.contains(n)) {
            return new DnsResult.Failure<>(n, DnsResult.Failure.Kind.SERVFAIL, "scenario says this name fails");
        }
        String value = txt.get(n);
        return value == null ? new DnsResult.NxDomain<>(n) : DnsResult.answer(List.of(value));
    }

    @Override
    public DnsResult<List<MxRecord>> mx(String name) {
        return new DnsResult.NxDomain<>(normal(name));
    }

    @Override
    public DnsResult<List<InetAddress>> a(String name) {
        return new DnsResult.NxDomain<>(normal(name));
    }

    @Override
    public DnsResult<List<InetAddress>> aaaa(String name) {
        return new DnsResult.NxDomain<>(normal(name));
    }

    @Override
    public DnsResult<List<String>> ptr(InetAddress address) {
        return new DnsResult.NxDomain<>(address.getHostAddress());
    }
}
