package io.postbus.cli;

import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressingConfig;
import io.postbus.core.address.RecipientDelimiter;
import io.postbus.core.address.RecipientValidator;
import io.postbus.core.config.ConfigValues;
import io.postbus.core.table.LookupTable;
import io.postbus.core.table.ReloadResult;
import io.postbus.core.table.ReloadingTable;
import io.postbus.core.table.TableSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Postfix's address classes from the configuration: the lookup tables (re-read when they change) and
 * the classifier the ingress uses at RCPT TO and the router uses to route (one implementation).
 * Without any recipient table or virtual domain, there is nothing to look up: the ingress then keeps
 * the plain domain rule (any user at our domains).
 */
final class Addressing {
    private final List<ReloadingTable> tables = new ArrayList<>();
    private final Optional<AddressClassifier> classifier;

    private Addressing(ConfigValues v, String hostname, Clock clock) {
        Duration interval = v.duration("lookup.table.reload.interval");
        Function<String, List<LookupTable>> postmap = key -> load(v.list(key), TableSource::postmap, interval, clock);
        List<LookupTable> local = new ArrayList<>(postmap.apply("local.recipient.maps"));
        local.addAll(load(v.list("alias.maps"), TableSource::aliases, interval, clock));
        boolean configured = !local.isEmpty() || !v.list("virtual.alias.domains").isEmpty()
                || !v.list("virtual.mailbox.domains").isEmpty() || !v.list("relay.recipient.maps").isEmpty();
        if (!configured) {
            classifier = Optional.empty();
            return;
        }
        String myorigin = v.string("myorigin").isEmpty() ? hostname : v.string("myorigin");
        AddressingConfig config = AddressingConfig.builder(myorigin)
                .mydestination(v.list("mydestination"))
                .virtualAliasDomains(v.list("virtual.alias.domains"))
                .virtualAliasMaps(postmap.apply("virtual.alias.maps"))
                .virtualMailboxDomains(v.list("virtual.mailbox.domains"))
                .virtualMailboxMaps(postmap.apply("virtual.mailbox.maps"))
                .relayDomains(v.list("relay.domains"))
                .relayRecipientMaps(postmap.apply("relay.recipient.maps"))
                .localRecipientMaps(local)
                .recipientDelimiter(RecipientDelimiter.of(v.string("recipient.delimiter")))
                .build();
        classifier = Optional.of(new AddressClassifier(config));
    }

    /** Reads every table now: a broken file stops the start, with its name and line. */
    static Addressing from(ConfigValues v, String hostname, Clock clock) {
        return new Addressing(v, hostname, clock);
    }

    Optional<RecipientValidator> recipientValidator() {
        return classifier.map(RecipientValidator::new);
    }

    Optional<AddressClassifier> classifier() {
        return classifier;
    }

    /** Re-reads changed tables; called from a timer, never from an event loop (it does file I/O). */
    List<String> refresh() {
        List<String> problems = new ArrayList<>();
        for (ReloadingTable t : tables) {
            ReloadResult r = t.refreshIfDue();
            if (r.status() == ReloadResult.Status.FAILED) {
                r.error().ifPresent(e -> problems.add("lookup table " + t.name() + " not reloaded, previous version in use: "
                        + e.getMessage()));
            }
        }
        return problems;
    }

    boolean hasTables() {
        return !tables.isEmpty();
    }

    private List<LookupTable> load(List<String> files, Function<Path, TableSource> format, Duration interval, Clock clock) {
        List<LookupTable> out = new ArrayList<>();
        for (String f : files) {
            ReloadingTable t = new ReloadingTable(format.apply(Path.of(f)), interval, clock);
            tables.add(t);
            out.add(t);
        }
        return out;
    }
}
