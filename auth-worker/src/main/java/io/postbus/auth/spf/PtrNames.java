package io.postbus.auth.spf;

import io.postbus.core.dns.DnsResult;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The client's validated domain names (RFC 7208 §5.5), shared by the "ptr" mechanism and the "p"
 * macro (§7.3). The PTR answer is asked once per evaluation and each name is validated at most once.
 */
final class PtrNames {

    private final Lookups lookups;
    private final InetAddress client;
    private final int maxNames;
    private final Map<String, Boolean> validated = new HashMap<>();
    private DnsResult<List<String>> answer;

    PtrNames(Lookups lookups, InetAddress client, int maxNames) {
        this.lookups = lookups;
        this.client = client;
        this.maxNames = maxNames;
    }

    /**
     * The PTR names, at most the first {@code maxNames}: §4.6.4, "If this limit is exceeded, all
     * records other than the first 10 MUST be ignored".
     */
    DnsResult<List<String>> names() {
        if (answer == null) {
            answer = lookups.ptr(client).map(all -> all.subList(0, Math.min(all.size(), maxNames)));
        }
        return answer;
    }

    /**
     * Whether some name of the PTR answer that is {@code target} or a subdomain of it validates, that
     * is, has an address record equal to the client's (§5.5). Names that do not end in the target
     * are not looked up: they could not make the mechanism match. "If a DNS error occurs while doing
     * an A RR lookup, then that domain name is skipped and the search continues."
     */
    boolean anyValidatedWithin(String target) {
        if (!(names() instanceof DnsResult.Answer<List<String>> a)) {
            return false;
        }
        return a.value().stream().anyMatch(n -> SpfDomains.isSameOrSubdomain(n, target) && validates(n));
    }

    /**
     * The "p" macro for the current domain (§7.3): the domain itself if validated, else a validated
     * subdomain of it, else any validated name; "unknown" when there is none or DNS failed.
     */
    String macroValue(String domain) {
        if (!(names() instanceof DnsResult.Answer<List<String>> a)) {
            return "unknown";
        }
        List<String> valid = a.value().stream().filter(this::validates).toList();
        Optional<String> exact = valid.stream().filter(n -> n.equalsIgnoreCase(domain)).findFirst();
        Optional<String> sub = valid.stream().filter(n -> SpfDomains.isSameOrSubdomain(n, domain)).findFirst();
        return exact.or(() -> sub).or(() -> valid.stream().findFirst()).orElse("unknown");
    }

    private boolean validates(String name) {
        return validated.computeIfAbsent(name.toLowerCase(Locale.ROOT), n ->
                lookups.addresses(n, IpAddresses.isIpv6(client)) instanceof DnsResult.Answer<List<InetAddress>> a
                        && a.value().stream().anyMatch(x -> Arrays.equals(x.getAddress(), client.getAddress())));
    }
}
