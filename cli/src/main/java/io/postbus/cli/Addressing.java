package io.postbus.cli;

import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressingConfig;
import io.postbus.core.address.RecipientDelimiter;
import io.postbus.core.address.RecipientValidator;
import io.postbus.core.config.ConfigException;
import io.postbus.core.config.ConfigValues;
import io.postbus.core.table.LookupTable;
import io.postbus.core.table.ReloadResult;
import io.postbus.core.table.ReloadingTable;
import io.postbus.core.table.TableSource;
import io.postbus.router.core.TransportEntry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Postfix's address classes and lookup tables from the configuration: the tables (re-read when they
 * change), the classifier the ingress validates RCPT TO with and the router routes with (one
 * implementation), and the router's own tables (aliases, transport and canonical maps).
 *
 * <p>The classifier exists whenever myorigin is a domain name, and must exist (a bad myorigin is an
 * error) once any domain list or table is configured. RCPT TO validation needs something to look
 * up: without any recipient table or virtual domain the ingress keeps the plain domain rule (any
 * user at our domains), as before.
 */
final class Addressing {
    private final List<ReloadingTable> tables = new ArrayList<>();
    private final List<ReloadingTable> transportTables = new ArrayList<>();
    private final Optional<AddressClassifier> classifier;
    private final boolean validatesRecipients;
    private final List<LookupTable> aliasMaps;
    private final List<LookupTable> localUserMaps;
    private final List<LookupTable> transportMaps;
    private final List<LookupTable> canonicalMaps;
    private final List<LookupTable> senderCanonicalMaps;
    private final List<LookupTable> recipientCanonicalMaps;

    private Addressing(ConfigValues v, String hostname, Clock clock) {
        Duration interval = v.duration("lookup.table.reload.interval");
        Function<String, List<LookupTable>> postmap = key -> load(v.list(key), TableSource::postmap, interval, clock);
        localUserMaps = postmap.apply("local.recipient.maps");
        aliasMaps = load(v.list("alias.maps"), TableSource::aliases, interval, clock);
        transportMaps = postmap.apply("transport.maps");
        tables.stream().filter(transportMaps::contains).forEach(transportTables::add);
        canonicalMaps = postmap.apply("canonical.maps");
        senderCanonicalMaps = postmap.apply("sender.canonical.maps");
        recipientCanonicalMaps = postmap.apply("recipient.canonical.maps");
        List<LookupTable> local = new ArrayList<>(localUserMaps);
        local.addAll(aliasMaps);
        validatesRecipients = !local.isEmpty() || !v.list("virtual.alias.domains").isEmpty()
                || !v.list("virtual.mailbox.domains").isEmpty() || !v.list("relay.recipient.maps").isEmpty();
        boolean needsClassifier = validatesRecipients || !tables.isEmpty() || !v.list("virtual.alias.maps").isEmpty()
                || !v.list("virtual.mailbox.maps").isEmpty() || !v.list("mydestination").isEmpty()
                || !v.list("relay.domains").isEmpty();
        String myorigin = v.string("myorigin").isEmpty() ? hostname : v.string("myorigin");
        AddressingConfig config;
        try {
            config = AddressingConfig.builder(myorigin)
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
        } catch (ConfigException e) {
            if (needsClassifier) {
                throw e;
            }
            // Nothing configured and a host name that is no domain: nothing to classify with, which
            // the ingress does not need; the router says so if it is started (PostbusConfig.router).
            classifier = Optional.empty();
            return;
        }
        classifier = Optional.of(new AddressClassifier(config));
    }

    /** Reads every table now: a broken file stops the start, with its name and line. */
    static Addressing from(ConfigValues v, String hostname, Clock clock) {
        return new Addressing(v, hostname, clock);
    }

    Optional<RecipientValidator> recipientValidator() {
        return validatesRecipients ? classifier.map(RecipientValidator::new) : Optional.empty();
    }

    Optional<AddressClassifier> classifier() {
        return classifier;
    }

    List<LookupTable> aliasMaps() {
        return aliasMaps;
    }

    /** local.recipient.maps alone: the users, without the alias names the ingress also accepts. */
    List<LookupTable> localUserMaps() {
        return localUserMaps;
    }

    List<LookupTable> transportMaps() {
        return transportMaps;
    }

    List<LookupTable> canonicalMaps() {
        return canonicalMaps;
    }

    List<LookupTable> senderCanonicalMaps() {
        return senderCanonicalMaps;
    }

    List<LookupTable> recipientCanonicalMaps() {
        return recipientCanonicalMaps;
    }

    /** Entries of transport.maps that Postbus cannot use; the router would defer their mail. */
    List<String> transportProblems() {
        List<String> problems = new ArrayList<>();
        for (ReloadingTable t : transportTables) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(t.current().entries()).entrySet()) {
                TransportEntry.parse(e.getValue()).problem()
                        .ifPresent(p -> problems.add("transport.maps " + t.name() + ": entry '" + e.getKey() + "': " + p));
            }
        }
        return problems;
    }

    /** Values of the virtual mailbox tables, for checking them as mailbox paths. */
    List<String> virtualMailboxValues() {
        List<String> out = new ArrayList<>();
        classifier.ifPresent(c -> c.config().virtualMailboxMaps().forEach(t -> {
            if (t instanceof ReloadingTable r) {
                out.addAll(new java.util.TreeMap<>(r.current().entries()).values());
            }
        }));
        return out;
    }

    /** Re-reads changed tables; called from a timer, never from an event loop (it does file I/O). */
    List<String> refresh() {
        List<String> problems = new ArrayList<>();
        boolean transportReloaded = false;
        for (ReloadingTable t : tables) {
            ReloadResult r = t.refreshIfDue();
            if (r.status() == ReloadResult.Status.FAILED) {
                r.error().ifPresent(e -> problems.add("lookup table " + t.name() + " not reloaded, previous version in use: "
                        + e.getMessage()));
            }
            transportReloaded |= r.status() == ReloadResult.Status.RELOADED && transportTables.contains(t);
        }
        if (transportReloaded) {
            // The new version is in use; mail meeting an unusable entry waits (4.3.5) until it is fixed.
            transportProblems().forEach(p -> problems.add(p + " (mail for it is deferred)"));
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
