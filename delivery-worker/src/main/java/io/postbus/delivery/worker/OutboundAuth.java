package io.postbus.delivery.worker;

import io.postbus.core.table.ReloadResult;
import io.postbus.core.table.ReloadingTable;
import io.postbus.core.table.TableSource;
import io.postbus.delivery.route.SaslPasswordMap;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The client credentials of a delivery worker: Postfix smtp_sasl_password_maps-format tables
 * (setting {@code delivery.sasl.password.maps}), re-read when their files change. As with the TLS
 * policy maps, {@link #refresh()} runs on the delivery thread before each attempt and costs nothing
 * until the table's check interval has passed. No tables: no client AUTH anywhere.
 *
 * @param passwordMaps next hop or host → user:password, first match wins
 * @param problems     where a table that no longer parses is reported (the old version stays in use)
 */
public record OutboundAuth(List<ReloadingTable> passwordMaps, Consumer<String> problems) {

    public OutboundAuth {
        passwordMaps = List.copyOf(passwordMaps);
        Objects.requireNonNull(problems, "problems");
    }

    public static OutboundAuth none() {
        return new OutboundAuth(List.of(), p -> { });
    }

    /** @param passwordMaps postmap-format files; each must load now (fail fast) */
    public static OutboundAuth configure(List<String> passwordMaps, Duration reloadInterval, Clock clock,
                                         Consumer<String> problems) {
        return new OutboundAuth(passwordMaps.stream()
                .map(f -> new ReloadingTable(TableSource.postmap(Path.of(f)), reloadInterval, clock)).toList(), problems);
    }

    SaslPasswordMap map() {
        return new SaslPasswordMap(passwordMaps);
    }

    void refresh() {
        for (ReloadingTable t : passwordMaps) {
            ReloadResult r = t.refreshIfDue();
            r.error().ifPresent(e -> problems.accept("SASL password map " + t.name() + " not reloaded: " + e.getMessage()));
        }
    }
}
