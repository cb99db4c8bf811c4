package io.postbus.core.dns.dnsjava;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.ResolverConfig;

/**
 * Settings for {@link DnsJavaResolver}. Immutable; change one setting with a {@code with…}
 * method.
 *
 * @param servers recursive resolvers to ask, in order; the next is tried when one times out,
 *     fails or answers SERVFAIL/REFUSED
 * @param timeout how long to wait for one response from one server
 * @param retries extra rounds over the servers after the first; a lookup that never gets an
 *     answer gives up after {@code (1 + retries) × servers × timeout}
 * @param cacheSize most (name, type) results kept; 0 turns the cache off
 * @param maxTtl cap on how long an answer is cached, whatever its TTL says
 * @param maxNegativeTtl cap on how long NXDOMAIN/no data is cached (RFC 2308 §5)
 * @param failureTtl how long a failure is cached; zero (the default) means never, so each caller
 *     asks again
 * @param dnssecTrust whether the servers' AD bit makes an answer authenticated (DANE needs it);
 *     {@link DnssecTrust#NONE} by default
 */
public record DnsJavaResolverConfig(
        List<InetSocketAddress> servers,
        Duration timeout,
        int retries,
        int cacheSize,
        Duration maxTtl,
        Duration maxNegativeTtl,
        Duration failureTtl,
        DnssecTrust dnssecTrust) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_RETRIES = 1;
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(1);
    /**
     * Shorter than RFC 2308's suggested one to three hours: a DKIM key or SPF record published a
     * minute ago should not stay invisible to us for long.
     */
    public static final Duration DEFAULT_MAX_NEGATIVE_TTL = Duration.ofMinutes(5);

    public DnsJavaResolverConfig {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS server is required");
        }
        requirePositive(timeout, "timeout");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0: " + retries);
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must be >= 0: " + cacheSize);
        }
        requireNotNegative(maxTtl, "maxTtl");
        requireNotNegative(maxNegativeTtl, "maxNegativeTtl");
        requireNotNegative(failureTtl, "failureTtl");
        Objects.requireNonNull(dnssecTrust, "dnssecTrust");
    }

    /** Without DNSSEC trust, as before it existed. */
    public DnsJavaResolverConfig(List<InetSocketAddress> servers, Duration timeout, int retries, int cacheSize,
                                 Duration maxTtl, Duration maxNegativeTtl, Duration failureTtl) {
        this(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl, DnssecTrust.NONE);
    }

    /** The system's resolvers (dnsjava's {@link ResolverConfig}), else 127.0.0.1:53, and defaults. */
    public static DnsJavaResolverConfig defaults() {
        List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
        return forServers(
                system.isEmpty()
                        ? List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53))
                        : system);
    }

    /** The given resolvers with default timeouts and cache limits. */
    public static DnsJavaResolverConfig forServers(List<InetSocketAddress> servers) {
        return new DnsJavaResolverConfig(servers, DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_CACHE_SIZE,
                DEFAULT_MAX_TTL, DEFAULT_MAX_NEGATIVE_TTL, Duration.ZERO);
    }

    public DnsJavaResolverConfig withServers(List<InetSocketAddress> servers) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    public DnsJavaResolverConfig withTimeout(Duration timeout) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    public DnsJavaResolverConfig withRetries(int retries) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    public DnsJavaResolverConfig withCacheSize(int cacheSize) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    public DnsJavaResolverConfig withMaxTtl(Duration maxTtl) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    public DnsJavaResolverConfig withMaxNegativeTtl(Duration maxNegativeTtl) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    public DnsJavaResolverConfig withFailureTtl(Duration failureTtl) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    public DnsJavaResolverConfig withDnssecTrust(DnssecTrust dnssecTrust) {
        return new DnsJavaResolverConfig(servers, timeout, retries, cacheSize, maxTtl, maxNegativeTtl, failureTtl,
                dnssecTrust);
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    private static void requireNotNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
    }
}
