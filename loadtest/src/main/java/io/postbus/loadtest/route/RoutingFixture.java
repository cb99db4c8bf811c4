package io.postbus.loadtest.route;

import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressingConfig;
import io.postbus.core.table.LookupTable;
import io.postbus.core.table.TableSnapshot;
import io.postbus.router.core.Router;
import io.postbus.router.core.RouterConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A router with the issue's table sizes: {@code entries} virtual aliases (each one address to two),
 * {@code entries} transport map entries (one per relay domain, each to its own next hop) and
 * {@code entries} local users. Local domain example.com, virtual alias domain alias.example, relay
 * domains below relay.example; every other domain goes to its MX hosts.
 *
 * <p>The tables are built in memory ({@link TableSnapshot#of}), which is what a loaded postmap file is:
 * {@link #writeVirtualPostmap} writes the same virtual table as a file for the load benchmark.
 */
public final class RoutingFixture {
    public static final String SENDER = "sender@example.com";
    public static final String LOCAL_DOMAIN = "example.com";
    public static final String ALIAS_DOMAIN = "alias.example";
    public static final String RELAY_PARENT = "relay.example";
    /** Recipients of one case the benchmark cycles through, so that not one key stays hot in a cache. */
    public static final int SPREAD = 1024;

    /** The four kinds of single-recipient message the issue asks about. */
    public enum Case {
        /** va{i}@alias.example → user{i}@example.com and fwd{i}@gmail.test: two destinations. */
        VIRTUAL_ALIAS,
        /** rcpt@r{i}.relay.example: relay class, transport_maps gives relay:[10.a.b.c]:25. */
        TRANSPORT_RELAY,
        /** user{i}@example.com: local class, found in the local user table, Maildir delivery. */
        LOCAL_USER,
        /** rcpt@d{i}.gmail.test: default class, no transport entry, SMTP to the domain's MX hosts. */
        DEFAULT_MX
    }

    private final int entries;
    private final Router router;

    private RoutingFixture(int entries, Router router) {
        this.entries = entries;
        this.router = router;
    }

    public static RoutingFixture create(int entries, Path spool) {
        if (entries < 1) {
            throw new IllegalArgumentException("entries must be positive: " + entries);
        }
        Map<String, String> virtual = new HashMap<>(entries * 2);
        Map<String, String> transport = new HashMap<>(entries * 2);
        Map<String, String> users = new HashMap<>(entries * 2);
        for (int i = 0; i < entries; i++) {
            virtual.put(aliasKey(i), aliasValue(i));
            transport.put(relayDomain(i), relayNextHop(i));
            users.put("user" + i, "OK");
        }
        List<LookupTable> virtualMaps = List.of(TableSnapshot.of("virtual", virtual));
        List<LookupTable> localUsers = List.of(TableSnapshot.of("local_recipients", users));
        AddressingConfig addressing = AddressingConfig.builder(LOCAL_DOMAIN)
                .mydestination(List.of(LOCAL_DOMAIN, "localhost"))
                .virtualAliasDomains(List.of(ALIAS_DOMAIN))
                .virtualAliasMaps(virtualMaps)
                .relayDomains(List.of("." + RELAY_PARENT))
                .localRecipientMaps(localUsers)
                .build();
        RouterConfig config = RouterConfig.builder(new AddressClassifier(addressing), spool.toAbsolutePath())
                .transportMaps(List.of(TableSnapshot.of("transport", transport)))
                .localUserMaps(localUsers)
                .build();
        return new RoutingFixture(entries, new Router(config));
    }

    public Router router() {
        return router;
    }

    public int entries() {
        return entries;
    }

    /**
     * {@link #SPREAD} single recipients of one case, spread evenly over the tables (one list per message:
     * what {@code Router.route(sender, recipients)} takes).
     */
    public List<List<String>> recipients(Case c) {
        int n = Math.min(SPREAD, entries);
        @SuppressWarnings("unchecked")
        List<String>[] out = new List[n];
        for (int k = 0; k < n; k++) {
            int i = (int) ((long) k * entries / n);
            out[k] = List.of(recipient(c, i));
        }
        return List.of(out);
    }

    /** The recipient of a case for table entry {@code i}. */
    public static String recipient(Case c, int i) {
        switch (c) {
            case VIRTUAL_ALIAS:
                return aliasKey(i);
            case TRANSPORT_RELAY:
                return "rcpt@" + relayDomain(i);
            case LOCAL_USER:
                return "user" + i + "@" + LOCAL_DOMAIN;
            case DEFAULT_MX:
                return "rcpt@d" + i + ".gmail.test";
            default:
                throw new IllegalArgumentException(c.toString());
        }
    }

    static String aliasKey(int i) {
        return "va" + i + "@" + ALIAS_DOMAIN;
    }

    static String aliasValue(int i) {
        return "user" + i + "@" + LOCAL_DOMAIN + ", fwd" + i + "@gmail.test";
    }

    static String relayDomain(int i) {
        return "r" + i + "." + RELAY_PARENT;
    }

    /** A distinct next hop per entry, so each relay domain is its own destination. */
    public static String relayNextHop(int i) {
        return String.format(Locale.ROOT, "relay:[10.%d.%d.%d]:25", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
    }

    /** The virtual table of {@link #create} as a postmap source file, one "key value" line per entry. */
    public static Path writeVirtualPostmap(Path file, int entries) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# " + entries + " virtual aliases, written by RoutingFixture\n");
            for (int i = 0; i < entries; i++) {
                w.write(aliasKey(i));
                w.write('\t');
                w.write(aliasValue(i));
                w.write('\n');
            }
        }
        return file;
    }
}
