package io.postbus.delivery.mtasts;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Policy discovery for a recipient domain (RFC 8461 §3 and §5.1):
 * <ol>
 *   <li>look up the {@code _mta-sts} TXT record;</li>
 *   <li>a cached, unexpired policy with the same id is used without fetching;</li>
 *   <li>otherwise the policy is fetched over HTTPS and cached under the record's id;</li>
 *   <li>if the record is missing or the fetch fails, an unexpired cached policy stays in force
 *       ("if a valid (non-expired) policy exists in the sender's cache, the sender MUST apply
 *       that cached policy"), and with none the domain is treated as having no policy.</li>
 * </ol>
 * Blocking (DNS and the fetch): call it from a delivery thread, never an event loop.
 */
public final class MtaSts {

    private final DnsResolver dns;
    private final StsPolicyFetcher fetcher;
    private final StsPolicyCache cache;

    public MtaSts(DnsResolver dns, StsPolicyFetcher fetcher, StsPolicyCache cache) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    public StsDecision lookup(String recipientDomain) {
        String domain = normalize(recipientDomain);
        Optional<StsPolicyCache.Cached> cached = cache.get(domain);
        DnsResult<List<String>> txt = dns.txt("_mta-sts." + domain);
        Optional<StsRecord> record = txt instanceof DnsResult.Answer<List<String>> a
                ? StsRecord.select(a.value()) : Optional.empty();
        if (record.isEmpty()) {
            String why = txt instanceof DnsResult.Failure<List<String>> f
                    ? "TXT lookup of _mta-sts." + domain + " failed (" + f.kind() + ")"
                    : "no valid MTA-STS TXT record at _mta-sts." + domain;
            return cached.<StsDecision>map(c -> applies(c, StsDecision.Origin.CACHED_REFRESH_FAILED,
                    why + "; cached policy in force until " + c.expiresAt()))
                    .orElseGet(() -> new StsDecision.NoPolicy(why));
        }
        String id = record.get().id();
        if (cached.isPresent() && cached.get().id().equals(id)) {
            return applies(cached.get(), StsDecision.Origin.CACHED, "cached policy id " + id);
        }
        if (cached.isEmpty() && cache.recentlyFailed(domain)) {
            return new StsDecision.NoPolicy("policy fetch for " + domain + " failed recently; not retried yet");
        }
        String failure;
        StsPolicyFetcher.Result fetched = fetcher.fetch(domain);
        if (fetched instanceof StsPolicyFetcher.Result.Body body) {
            StsPolicy.Parsed parsed = StsPolicy.parse(body.text());
            if (parsed instanceof StsPolicy.Parsed.Valid v) {
                return applies(cache.put(domain, id, v.policy()), StsDecision.Origin.FETCHED, "fetched policy id " + id);
            }
            failure = "policy of " + domain + " is invalid: " + ((StsPolicy.Parsed.Invalid) parsed).reason();
        } else {
            failure = "policy fetch for " + domain + " failed: " + ((StsPolicyFetcher.Result.Failed) fetched).reason();
        }
        if (cached.isPresent()) {
            StsPolicyCache.Cached c = cached.get();
            return applies(c, StsDecision.Origin.CACHED_REFRESH_FAILED,
                    failure + "; cached policy id " + c.id() + " in force until " + c.expiresAt());
        }
        cache.fetchFailed(domain);
        return new StsDecision.NoPolicy(failure);
    }

    private static StsDecision applies(StsPolicyCache.Cached c, StsDecision.Origin origin, String note) {
        return new StsDecision.Applies(c.policy(), c.id(), origin, note);
    }

    private static String normalize(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
