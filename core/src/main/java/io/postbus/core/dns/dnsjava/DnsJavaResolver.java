package io.postbus.core.dns.dnsjava;

import io.postbus.core.dns.DnsNames;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import io.postbus.core.dns.TlsaRecord;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;

/**
 * The production {@link DnsResolver}: asks recursive servers with dnsjava and caches what they
 * say for as long as the TTLs allow.
 *
 * <p>Caching: answers for their smallest TTL along the CNAME chain, capped at
 * {@link DnsJavaResolverConfig#maxTtl()}; NXDOMAIN and no data for the RFC 2308 negative TTL,
 * capped at {@link DnsJavaResolverConfig#maxNegativeTtl()}, and not at all when the server sent no
 * SOA; failures for {@link DnsJavaResolverConfig#failureTtl()}, by default not at all, because a
 * failure is transient by definition. Expiry reads the injected {@link Clock}. Concurrent misses
 * for the same name each go to the network; with a recursive server in front that costs little,
 * and it keeps the cache free of in-flight bookkeeping.
 *
 * <p>DNSSEC: every query sets the AD bit (RFC 6840 §5.7), and an answer is
 * {@link DnsResult.Answer#authenticated() authenticated} when the response (each response along a
 * CNAME chain) has AD set and {@link DnsJavaResolverConfig#dnssecTrust()} says to believe it. No
 * validation of our own: that is the recursive server's job, as for Postfix.
 *
 * <p>Blocking and thread-safe.
 */
public final class DnsJavaResolver implements DnsResolver {

    /** One finished lookup and how long it may be reused. */
    private record Resolved(DnsResult<List<Record>> result, Duration ttl) {}

    private final DnsJavaResolverConfig config;
    private final Upstream upstream;
    private final ResultCache cache;

    public DnsJavaResolver(DnsJavaResolverConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.upstream = new Upstream(config.servers(), config.timeout(), config.retries());
        this.cache = new ResultCache(Objects.requireNonNull(clock, "clock"), config.cacheSize());
    }

    /** The system's resolvers, default limits, the system clock. */
    public static DnsJavaResolver withSystemServers() {
        return new DnsJavaResolver(DnsJavaResolverConfig.defaults(), Clock.systemUTC());
    }

    public DnsJavaResolverConfig config() {
        return config;
    }

    @Override
    public DnsResult<List<String>> txt(String name) {
        return lookup(name, QueryType.TXT);
    }

    @Override
    public DnsResult<List<MxRecord>> mx(String name) {
        return lookup(name, QueryType.MX);
    }

    @Override
    public DnsResult<List<InetAddress>> a(String name) {
        return lookup(name, QueryType.A);
    }

    @Override
    public DnsResult<List<InetAddress>> aaaa(String name) {
        return lookup(name, QueryType.AAAA);
    }

    @Override
    public DnsResult<List<String>> ptr(InetAddress address) {
        return lookup(ReverseMap.fromAddress(address), QueryType.PTR);
    }

    @Override
    public DnsResult<List<TlsaRecord>> tlsa(String name) {
        return lookup(name, QueryType.TLSA);
    }

    /** A string that cannot be a domain name names nothing: NXDOMAIN, without asking anyone. */
    private <T> DnsResult<T> lookup(String name, QueryType<T> type) {
        Optional<Name> parsed = DnsJavaNames.toName(name);
        return parsed.isPresent()
                ? lookup(parsed.get(), type)
                : new DnsResult.NxDomain<>(DnsNames.normalize(name));
    }

    private <T> DnsResult<T> lookup(Name name, QueryType<T> type) {
        String key = DnsJavaNames.toText(name);
        // Safe: the cache key includes the RR type, and each RR type has exactly one QueryType.
        DnsResult<T> cached = cache.get(key, type.rrType());
        if (cached != null) {
            return cached;
        }
        Resolved resolved = resolve(name, key, type.rrType());
        DnsResult<T> result = resolved.result().map(type.decoder());
        cache.put(key, type.rrType(), result, resolved.ttl());
        return result;
    }

    /**
     * Follows the answer to the end of its CNAME chain, asking again when the server left the chain
     * unfinished. The name in every result is the one the caller asked for.
     */
    private Resolved resolve(Name name, String text, int type) {
        Name current = name;
        long chainTtl = Long.MAX_VALUE;
        // Secure only if every response along the chain said so, and only if we believe them.
        boolean authenticated = config.dnssecTrust() == DnssecTrust.AD_BIT;
        for (int query = 0; query < ResponseReader.MAX_CNAME_HOPS; query++) {
            Upstream.Exchange exchange = upstream.query(current, type);
            if (exchange instanceof Upstream.Exchange.Failed f) {
                return failure(text, f.kind(), f.detail());
            }
            var reading = ResponseReader.read(((Upstream.Exchange.Replied) exchange).response(), current, type);
            if (reading instanceof ResponseReader.Reading.Records r) {
                return new Resolved(new DnsResult.Answer<>(r.records(), authenticated && r.ad()),
                        cap(Math.min(chainTtl, r.ttl()), config.maxTtl()));
            }
            if (reading instanceof ResponseReader.Reading.Negative n) {
                DnsResult<List<Record>> result = n.nxdomain()
                        ? new DnsResult.NxDomain<>(text) : new DnsResult.NoData<>(text);
                return new Resolved(result, cap(Math.min(chainTtl, n.ttl()), config.maxNegativeTtl()));
            }
            if (reading instanceof ResponseReader.Reading.Failed f) {
                return failure(text, f.kind(), f.detail());
            }
            var incomplete = (ResponseReader.Reading.Incomplete) reading;
            chainTtl = Math.min(chainTtl, incomplete.ttl());
            authenticated = authenticated && incomplete.ad();
            current = incomplete.target();
        }
        return failure(text, DnsResult.Failure.Kind.SERVFAIL, "CNAME chain needed too many queries");
    }

    private Resolved failure(String name, DnsResult.Failure.Kind kind, String detail) {
        return new Resolved(new DnsResult.Failure<>(name, kind, detail), config.failureTtl());
    }

    private static Duration cap(long ttlSeconds, Duration max) {
        Duration ttl = Duration.ofSeconds(Math.max(0, ttlSeconds));
        return ttl.compareTo(max) > 0 ? max : ttl;
    }
}
