package io.postbus.auth.spf;

import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The mechanisms that compare the client's address with something: a, mx, ptr, exists, ip4, ip6
 * (RFC 7208 §5.3-§5.7). "include" recurses into check_host() and lives in {@link Evaluation}.
 */
final class AddressMechanisms {

    private final Lookups lookups;
    private final PtrNames ptrNames;
    private final byte[] clientBytes;
    private final boolean ipv6;
    private final int maxMxNames;

    /** @param client already unmapped: an IPv4-mapped client is treated as IPv4 throughout (§5). */
    AddressMechanisms(Lookups lookups, PtrNames ptrNames, InetAddress client, int maxMxNames) {
        this.lookups = lookups;
        this.ptrNames = ptrNames;
        this.clientBytes = client.getAddress();
        this.ipv6 = IpAddresses.isIpv6(client);
        this.maxMxNames = maxMxNames;
    }

    /** §5.6: an ip4 network never matches an IPv6 client, nor an ip6 network an IPv4 one. */
    Step ip(Mechanism.Ip ip) {
        return ip.network().length == clientBytes.length && ip.contains(clientBytes) ? Step.MATCH : Step.NO_MATCH;
    }

    /** §5.3: any A (or AAAA) record of the target within the CIDR prefix. */
    Step a(String target, int ip4Prefix, int ip6Prefix, String term) {
        DnsResult<List<InetAddress>> r = lookups.addresses(target, ipv6);
        if (r instanceof DnsResult.Answer<List<InetAddress>> answer) {
            return anyWithin(answer.value(), ipv6 ? ip6Prefix : ip4Prefix) ? Step.MATCH : Step.NO_MATCH;
        }
        return notAnswered(r, term);
    }

    /**
     * §5.4: the addresses of every MX host. More than the limit of MX names is a permerror
     * (§4.6.4: "If this limit is exceeded, the "mx" mechanism MUST produce a "permerror" result").
     * A domain without MX records is not taken as its own MX (§5.4), and a null MX (RFC 7505) names no host.
     */
    Step mx(String target, int ip4Prefix, int ip6Prefix, String term) {
        DnsResult<List<MxRecord>> r = lookups.mx(target);
        if (!(r instanceof DnsResult.Answer<List<MxRecord>> answer)) {
            return notAnswered(r, term);
        }
        if (answer.value().size() > maxMxNames) {
            return Step.permerror(term + ": " + target + " has " + answer.value().size()
                    + " MX records, more than " + maxMxNames + " (RFC 7208 section 4.6.4)");
        }
        for (MxRecord mx : answer.value()) {
            if (mx.isNullMx()) {
                continue;
            }
            DnsResult<List<InetAddress>> hosts = lookups.addresses(mx.exchange(), ipv6);
            if (hosts instanceof DnsResult.Failure<List<InetAddress>> failure) {
                return Step.temperror(term + ": " + describe(failure));
            }
            if (hosts instanceof DnsResult.Answer<List<InetAddress>> addresses
                    && anyWithin(addresses.value(), ipv6 ? ip6Prefix : ip4Prefix)) {
                return Step.MATCH;
            }
        }
        return Step.NO_MATCH;
    }

    /**
     * §5.5. A failed PTR lookup only makes the mechanism not match ("If a DNS error occurs while
     * doing the PTR RR lookup, then this mechanism fails to match"); an empty one is a void lookup.
     */
    Step ptr(String target, String term) {
        DnsResult<List<String>> names = ptrNames.names();
        if (names.isVoid()) {
            return countVoid(term);
        }
        return ptrNames.anyValidatedWithin(target) ? Step.MATCH : Step.NO_MATCH;
    }

    /** §5.7: any A record at all, whatever the client's address family. */
    Step exists(String target, String term) {
        DnsResult<List<InetAddress>> r = lookups.addresses(target, false);
        if (r instanceof DnsResult.Answer<List<InetAddress>> answer) {
            return answer.value().isEmpty() ? Step.NO_MATCH : Step.MATCH;
        }
        return notAnswered(r, term);
    }

    private boolean anyWithin(List<InetAddress> addresses, int prefix) {
        return addresses.stream().anyMatch(a -> IpAddresses.sameNetwork(a.getAddress(), clientBytes, prefix));
    }

    /** §5: a DNS error stops evaluation with temperror; NXDOMAIN or no data is a void lookup and no match. */
    private Step notAnswered(DnsResult<?> r, String term) {
        if (r instanceof DnsResult.Failure<?> failure) {
            return Step.temperror(term + ": " + describe(failure));
        }
        return countVoid(term);
    }

    private Step countVoid(String term) {
        Optional<Step.Halted> halt = lookups.countVoid(term);
        return halt.isPresent() ? halt.get() : Step.NO_MATCH;
    }

    static String describe(DnsResult.Failure<?> failure) {
        return "DNS " + failure.kind().name().toLowerCase(Locale.ROOT) + " for " + failure.name()
                + (failure.detail() == null || failure.detail().isEmpty() ? "" : " (" + failure.detail() + ")");
    }
}
