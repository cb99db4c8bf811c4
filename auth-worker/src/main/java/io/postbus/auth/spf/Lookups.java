package io.postbus.auth.spf;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The DNS side of one check_host() evaluation: every query goes through here, so that the
 * processing limits of RFC 7208 §4.6.4 are kept in one place across all include and redirect levels
 * ("tracked as a single global limit for all evaluations", §4.1). Not thread-safe: one per evaluation.
 */
final class Lookups {

    private final DnsResolver dns;
    private final Clock clock;
    private final SpfSettings settings;
    private final Instant deadline;
    private int dnsTerms;
    private int voidLookups;
    private boolean outOfTime;

    Lookups(DnsResolver dns, Clock clock, SpfSettings settings) {
        this.dns = dns;
        this.clock = clock;
        this.settings = settings;
        this.deadline = clock.instant().plus(settings.timeBudget());
    }

    /**
     * Counts a term that queries DNS (include, a, mx, ptr, exists, redirect). §4.6.4: "SPF
     * implementations MUST limit the total number of those terms to 10 during SPF evaluation, to
     * avoid unreasonable load on the DNS. If this limit is exceeded, [...] permerror".
     */
    Optional<Step.Halted> countDnsTerm(String term) {
        dnsTerms++;
        if (dnsTerms > settings.maxDnsLookups()) {
            return Optional.of(Step.permerror("more than " + settings.maxDnsLookups()
                    + " DNS-querying terms (RFC 7208 section 4.6.4), at " + term));
        }
        return Optional.empty();
    }

    /**
     * Counts a term whose lookup found nothing (NXDOMAIN or no data). §4.6.4: "SPF implementations
     * SHOULD limit "void lookups" to two"; beyond that the result is permerror.
     */
    Optional<Step.Halted> countVoid(String term) {
        voidLookups++;
        if (voidLookups > settings.maxVoidLookups()) {
            return Optional.of(Step.permerror("more than " + settings.maxVoidLookups()
                    + " void lookups (RFC 7208 section 4.6.4), at " + term));
        }
        return Optional.empty();
    }

    /** Whether the time budget ran out during some lookup (§4.6.4: then the result SHOULD be temperror). */
    boolean outOfTime() {
        return outOfTime;
    }

    DnsResult<List<String>> txt(String name) {
        return ask(name, () -> dns.txt(name));
    }

    /** A for an IPv4 client, AAAA for an IPv6 one (§5.3: "the lookup type is A or AAAA"). */
    DnsResult<List<InetAddress>> addresses(String name, boolean ipv6) {
        return ask(name, () -> ipv6 ? dns.aaaa(name) : dns.a(name));
    }

    DnsResult<List<MxRecord>> mx(String name) {
        return ask(name, () -> dns.mx(name));
    }

    DnsResult<List<String>> ptr(InetAddress address) {
        return ask(address.getHostAddress(), () -> dns.ptr(address));
    }

    /** The time budget is checked before each query: a resolver call is not interrupted, but no new one starts. */
    private <T> DnsResult<T> ask(String name, Supplier<DnsResult<T>> query) {
        if (!clock.instant().isBefore(deadline)) {
            outOfTime = true;
            return new DnsResult.Failure<>(name, DnsResult.Failure.Kind.TIMEOUT,
                    "SPF time budget of " + settings.timeBudget().toMillis() + " ms used up (RFC 7208 section 4.6.4)");
        }
        return query.get();
    }
}
