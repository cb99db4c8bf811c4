package io.postbus.ingress.dnsbl;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.ingress.dnsbl.DnsblVerdict.Listing;
import io.postbus.ingress.dnsbl.DnsblVerdict.LookupFailure;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks a client address against the policy's lists and scores it the way postscreen does.
 *
 * <p>{@link #check} blocks until every list has answered or the policy's deadline has passed, so
 * the shell calls it off the event loop (a worker thread, {@code executeBlocking}). The lookups
 * themselves, one per distinct zone, run in parallel on the injected executor; with a direct
 * executor ({@code Runnable::run}) they run one after the other in the calling thread and the
 * deadline can no longer cut a slow one short, only the resolver's own timeout can.
 *
 * <p>Outcomes per zone (RFC 5782 §2.1): an A answer is a listing if an entry's filter accepts it;
 * NXDOMAIN and no data mean not listed; a failure (timeout, SERVFAIL...) or a missed deadline also
 * counts as not listed, and is reported in the verdict. A broken list must never block mail, and a
 * failing allowlist only makes the score higher than it would be, never rejects on its own.
 *
 * <p>Thread-safe: it keeps no state between checks.
 */
public final class DnsblChecker {
    private final DnsResolver resolver;
    private final DnsblPolicy policy;
    private final Executor executor;

    public DnsblChecker(DnsResolver resolver, DnsblPolicy policy, Executor executor) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    public DnsblPolicy policy() {
        return policy;
    }

    /** Looks the client up in every list, waiting at most the policy's deadline; never throws for DNS. */
    public DnsblVerdict check(InetAddress client) {
        InetAddress subject = DnsblQueryName.unmapped(Objects.requireNonNull(client, "client"));
        Map<String, String> queries = new LinkedHashMap<>();
        Map<String, CompletableFuture<DnsResult<List<InetAddress>>>> pending = new LinkedHashMap<>();
        for (String zone : policy.zones()) {
            String query = DnsblQueryName.of(subject, zone);
            queries.put(zone, query);
            pending.put(zone, start(query));
        }
        Unfinished unfinished = awaitAll(pending.values());

        Map<String, DnsResult<List<InetAddress>>> results = new LinkedHashMap<>();
        List<LookupFailure> failures = new ArrayList<>();
        pending.forEach((zone, future) -> {
            DnsResult<List<InetAddress>> r = outcome(queries.get(zone), future, unfinished);
            results.put(zone, r);
            if (r instanceof DnsResult.Failure<List<InetAddress>> f) {
                failures.add(new LookupFailure(zone, queries.get(zone), f.kind(), f.detail()));
            }
        });

        long score = 0;
        List<Listing> listings = new ArrayList<>();
        for (DnsblSite site : policy.sites()) {
            // NXDOMAIN, no data and failures all leave the score alone.
            if (results.get(site.zone()) instanceof DnsResult.Answer<List<InetAddress>> answer) {
                List<InetAddress> matching = site.matching(answer.value());
                if (!matching.isEmpty()) {
                    listings.add(new Listing(site, queries.get(site.zone()), matching));
                    score += site.weight();
                }
            }
        }
        int clamped = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, score));
        DnsblVerdict.Decision decision = clamped >= policy.threshold()
                ? DnsblVerdict.Decision.REJECT : DnsblVerdict.Decision.PASS;
        return new DnsblVerdict(subject, clamped, policy.threshold(), decision, listings, failures);
    }

    private CompletableFuture<DnsResult<List<InetAddress>>> start(String query) {
        try {
            return CompletableFuture.supplyAsync(() -> lookup(query), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    new DnsResult.Failure<>(query, Kind.OTHER, "lookup not started: " + e.getMessage()));
        }
    }

    /** The contract says resolvers never throw for a DNS outcome; if one does anyway, that is a failure too. */
    private DnsResult<List<InetAddress>> lookup(String query) {
        try {
            return Objects.requireNonNull(resolver.a(query), "resolver returned null");
        } catch (RuntimeException e) {
            return new DnsResult.Failure<>(query, Kind.OTHER, "resolver threw " + e);
        }
    }

    /** Why a lookup that had not finished when we stopped waiting counts as failed. */
    private record Unfinished(Kind kind, String detail) {}

    /** Waits for all lookups up to the deadline. */
    private Unfinished awaitAll(Iterable<CompletableFuture<DnsResult<List<InetAddress>>>> futures) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        futures.forEach(all::add);
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(policy.deadline().toNanos(), TimeUnit.NANOSECONDS);
            return new Unfinished(Kind.OTHER, "lookup did not complete"); // lookup() catches everything
        } catch (TimeoutException e) {
            return new Unfinished(Kind.TIMEOUT, "no answer within the " + policy.deadline() + " DNSBL deadline");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller is shutting down; answer with what we have
            return new Unfinished(Kind.OTHER, "check interrupted before the answer");
        } catch (ExecutionException e) {
            return new Unfinished(Kind.OTHER, "lookup failed: " + e.getCause());
        }
    }

    private static DnsResult<List<InetAddress>> outcome(String query,
            CompletableFuture<DnsResult<List<InetAddress>>> future, Unfinished unfinished) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return future.join();
        }
        // Nobody waits for it any more; the resolver's own timeout ends the lookup thread.
        future.cancel(false);
        return new DnsResult.Failure<>(query, unfinished.kind(), unfinished.detail());
    }
}
