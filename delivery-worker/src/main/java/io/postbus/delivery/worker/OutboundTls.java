package io.postbus.delivery.worker;

import io.postbus.core.table.ReloadResult;
import io.postbus.core.table.ReloadingTable;
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

    public OutboundTls {
        Objects.requireNonNull(client, "client");
        policyMaps = List.copyOf(policyMaps);
        Objects.requireNonNull(problems, "problems");
    }

    /** The JDK's trust store, no policy map, no MTA-STS. */
    public static OutboundTls defaults() {
        return new OutboundTls(TlsClient.jdkDefaults(), List.of(), null, p -> { });
    }

    DestinationTls destinations(TlsPolicy defaultLevel) {
        return new DestinationTls(defaultLevel, new TlsPolicyMap(policyMaps), mtaSts);
    }

    void refresh() {
        for (ReloadingTable t : policyMaps) {
            ReloadResult r = t.refreshIfDue();
            r.error().ifPresent(e -> problems.accept("TLS policy map " + t.name() + " not reloaded: " + e.getMessage()));
        }
    }
}
