package io.postbus.router.core;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The site of a delivery route. For SMTP to a domain's MX hosts, in this order:
 * <ol>
 *   <li>a configured site that lists the recipient domain (no DNS needed);</li>
 *   <li>a configured site whose {@code mx=} pattern matches a best-preference MX host;</li>
 *   <li>a site named after the best-preference MX hosts, sorted ({@link SiteNames#ofHosts}).</li>
 * </ol>
 * Only the best preference counts: RFC 5321 §5.1 sends to the lowest preference first and to the
 * others only when it fails, so the best-preference hosts are the ones that take the traffic, and a
 * customer's own backup MX does not split a provider's site.
 *
 * <p>No answer never holds up routing: implicit MX (the domain itself is the host), null MX, NXDOMAIN
 * and a failed lookup all give a site named after the domain, and delivery does its own lookup to
 * bounce or defer. A next hop names its own site; Maildir delivery is one local site.
 *
 * <p>Answers are cached by the resolver with their TTLs (the production resolver keeps up to 10,000
 * for at most a day, negative answers five minutes). Failures it does not cache, so this class
 * remembers a failed domain for {@code failureMemory}: a resolver that times out costs one timeout per
 * domain per interval instead of one per message. That memory is bounded, least recently used first.
 */
public final class SiteResolver {
    public static final Duration DEFAULT_FAILURE_MEMORY = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_REMEMBERED = 10_000;
    static final String LOCAL_SITE = "maildir";

    private final SiteTable table;
    private final DnsResolver dns;
    private final Clock clock;
    private final Duration failureMemory;
    private final Map<String, Remembered> failures;

    private record Remembered(Site site, Instant until) {}

    /** @param dns null for a router that never looks anything up (sites named after the domain) */
    public SiteResolver(SiteTable table, DnsResolver dns, Clock clock, Duration failureMemory, int maxRemembered) {
        this.table = Objects.requireNonNull(table, "table");
        this.dns = dns;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failureMemory = Objects.requireNonNull(failureMemory, "failureMemory");
        if (maxRemembered < 0) {
            throw new IllegalArgumentException("maxRemembered must be >= 0: " + maxRemembered);
        }
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > maxRemembered;
            }
        };
    }

    public SiteResolver(SiteTable table, DnsResolver dns, Clock clock) {
        this(table, dns, clock, DEFAULT_FAILURE_MEMORY, DEFAULT_MAX_REMEMBERED);
    }

    /** Without DNS: configured domains get their site, every other domain a site of its own name. */
    public static SiteResolver withoutDns(SiteTable table) {
        return new SiteResolver(table, null, Clock.systemUTC());
    }

    public Site siteOf(DeliveryRoute route) {
        if (route.transport() == Transport.MAILDIR) {
            return new Site(LOCAL_SITE, Site.Basis.LOCAL_MAILBOX);
        }
        if (route.nextHop() != null) {
            return new Site(SiteNames.ofNextHop(route.transport(), route.nextHop()), Site.Basis.NEXT_HOP);
        }
        String domain = route.domain().toLowerCase(Locale.ROOT);
        Optional<String> configured = table.byDomain(domain);
        if (configured.isPresent()) {
            return new Site(configured.get(), Site.Basis.CONFIGURED_DOMAIN);
        }
        if (domain.startsWith("[")) {
            return new Site(SiteNames.ofDomain(domain), Site.Basis.ADDRESS_LITERAL);
        }
        if (dns == null) {
            return named(domain, Site.Basis.NOT_LOOKED_UP);
        }
        Site remembered = rememberedFailure(domain);
        return remembered != null ? remembered : lookUp(domain);
    }

    private Site lookUp(String domain) {
        DnsResult<List<MxRecord>> result = dns.mx(domain);
        if (result instanceof DnsResult.Answer<List<MxRecord>> answer) {
            return fromMx(domain, answer.value());
        }
        if (result instanceof DnsResult.NoData) {
            return byHosts(List.of(domain), () -> named(domain, Site.Basis.IMPLICIT_MX));
        }
        if (result instanceof DnsResult.NxDomain) {
            return named(domain, Site.Basis.NO_SUCH_DOMAIN);
        }
        Site failed = named(domain, Site.Basis.DNS_FAILURE);
        synchronized (failures) {
            failures.put(domain, new Remembered(failed, clock.instant().plus(failureMemory)));
        }
        return failed;
    }

    private Site fromMx(String domain, List<MxRecord> records) {
        List<MxRecord> hosts = records.stream().filter(r -> !r.isNullMx()).toList();
        if (hosts.isEmpty()) {
            // RFC 7505 §3: a lone "0 ." says the domain takes no mail; an empty answer reads like no data.
            return records.isEmpty() ? byHosts(List.of(domain), () -> named(domain, Site.Basis.IMPLICIT_MX))
                    : named(domain, Site.Basis.NULL_MX);
        }
        int best = hosts.stream().mapToInt(MxRecord::preference).min().orElseThrow();
        List<String> names = hosts.stream().filter(r -> r.preference() == best).map(MxRecord::exchange)
                .distinct().sorted().toList();
        return byHosts(names, () -> new Site(SiteNames.ofHosts(names), Site.Basis.MX_HOSTS));
    }

    /** The configured site of the first host (in sorted order) that a pattern matches, else {@code otherwise}. */
    private Site byHosts(List<String> sortedHosts, java.util.function.Supplier<Site> otherwise) {
        for (String host : sortedHosts) {
            Optional<String> site = table.byMxHost(host);
            if (site.isPresent()) {
                return new Site(site.get(), Site.Basis.CONFIGURED_MX);
            }
        }
        return otherwise.get();
    }

    private Site rememberedFailure(String domain) {
        synchronized (failures) {
            Remembered r = failures.get(domain);
            if (r == null) {
                return null;
            }
            if (!clock.instant().isBefore(r.until())) {
                failures.remove(domain);
                return null;
            }
            return r.site();
        }
    }

    private static Site named(String domain, Site.Basis basis) {
        return new Site(SiteNames.ofDomain(domain), basis);
    }

    /** Failed domains remembered now (for tests of the bound). */
    int remembered() {
        synchronized (failures) {
            return failures.size();
        }
    }
}
