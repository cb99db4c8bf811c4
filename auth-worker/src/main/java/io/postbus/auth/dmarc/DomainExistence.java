package io.postbus.auth.dmarc;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether a domain "does not exist" for DMARC (RFC 9091 §2.1, kept by RFC 9989): A, AAAA and MX
 * all answer NXDOMAIN or no data. Decides whether {@code np} applies.
 */
final class DomainExistence {

    private final DnsResolver dns;

    DomainExistence(DnsResolver dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /**
     * True only when all three lookups are void. NXDOMAIN on the first settles it (RFC 8020: nothing
     * exists at or below that name). A DNS failure counts as "exists": {@code np} needs non-existence
     * shown, so a resolver hiccup leaves the subdomain under {@code sp}, the policy it would have
     * had before RFC 9091.
     */
    boolean nonExistent(String domain) {
        List<Function<String, DnsResult<?>>> lookups = List.of(dns::a, dns::aaaa, dns::mx);
        for (Function<String, DnsResult<?>> lookup : lookups) {
            DnsResult<?> r = lookup.apply(domain);
            if (r instanceof DnsResult.NxDomain) {
                return true;
            }
            if (!(r instanceof DnsResult.NoData)) {
                return false;
            }
        }
        return true;
    }
}
