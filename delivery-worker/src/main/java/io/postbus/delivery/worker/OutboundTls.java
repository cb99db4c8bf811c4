package io.postbus.delivery.worker;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.table.ReloadResult;
import io.postbus.core.table.ReloadingTable;
import io.postbus.core.table.TableSource;
import io.postbus.delivery.mtasts.StsPolicyCache;
import io.postbus.delivery.smtp.TrustAnchors;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import io.postbus.delivery.dane.DaneLookup;
import io.postbus.delivery.mtasts.MtaSts;
import io.postbus.delivery.route.DestinationTls;
import io.postbus.delivery.route.TlsPolicyMap;
import io.postbus.delivery.smtp.TlsClient;
import io.postbus.delivery.smtp.TlsPolicy;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The outbound TLS setup of a delivery worker: the trust anchors (in the {@link TlsClient}), the
 * policy map tables, and MTA-STS when enabled. The tables are re-read when their files change:
 * {@link #refresh()} runs on the delivery thread before each attempt, which is allowed to block, and
 * costs nothing until the table's check interval has passed.
 *
 * @param policyMaps  Postfix smtp_tls_policy_maps-style tables, first match wins
 * @param mtaSts      null when MTA-STS is off
 * @param problems    where a table that no longer parses is reported (the old version stays in use)
 */
public record OutboundTls(TlsClient client, List<ReloadingTable> policyMaps, MtaSts mtaSts, Consumer<String> problems) {

    /** RFC 8461 §3.3 suggests one minute; a delivery thread waits this long at most. */
    static final Duration STS_FETCH_TIMEOUT = Duration.ofSeconds(60);
    static final int STS_CACHE_ENTRIES = 100_000;
    static final Duration STS_FAILURE_BACKOFF = Duration.ofMinutes(5);

    public OutboundTls {
        Objects.requireNonNull(client, "client");
        policyMaps = List.copyOf(policyMaps);
        Objects.requireNonNull(problems, "problems");
    }

    /** The JDK's trust store, no policy map, no MTA-STS. */
    public static OutboundTls defaults() {
        return new OutboundTls(TlsClient.jdkDefaults(), List.of(), null, p -> { });
    }

    /**
     * From configuration values, as the launcher has them.
     *
     * @param caFile     a PEM file of extra trust anchors, or "" for the JDK's store alone
     * @param policyMaps postmap-format files; each must load now (fail fast)
     * @param mtaSts     whether to look up and apply MTA-STS policies (fetched with {@code vertx})
     */
    public static OutboundTls configure(Vertx vertx, DnsResolver dns, Clock clock, String caFile, List<String> policyMaps,
                                        Duration reloadInterval, boolean mtaSts, Consumer<String> problems) {
        TrustAnchors anchors = caFile == null || caFile.isBlank() ? TrustAnchors.jdkDefaults()
                : TrustAnchors.jdkDefaultsPlus(Path.of(caFile));
        List<ReloadingTable> maps = policyMaps.stream()
                .map(f -> new ReloadingTable(TableSource.postmap(Path.of(f)), reloadInterval, clock)).toList();
        MtaSts sts = mtaSts ? new MtaSts(dns, new VertxStsPolicyFetcher(vertx, dns, anchors, STS_FETCH_TIMEOUT),
                new StsPolicyCache(clock, STS_CACHE_ENTRIES, STS_FAILURE_BACKOFF)) : null;
        return new OutboundTls(TlsClient.trusting(anchors), maps, sts, problems);
    }

    /** @param dns for the DANE levels' MX, address and TLSA lookups (only validated answers count) */
    DestinationTls destinations(TlsPolicy defaultLevel, DnsResolver dns) {
        return new DestinationTls(defaultLevel, new TlsPolicyMap(policyMaps), mtaSts, new DaneLookup(dns));
    }

    void refresh() {
        for (ReloadingTable t : policyMaps) {
            ReloadResult r = t.refreshIfDue();
            r.error().ifPresent(e -> problems.accept("TLS policy map " + t.name() + " not reloaded: " + e.getMessage()));
        }
    }
}
