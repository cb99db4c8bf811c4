package io.postbus.router.core;

import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressingConfig;
import io.postbus.core.address.RecipientDelimiter;
import io.postbus.core.table.LookupTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A host set up like a typical Postfix: local domain example.com (myorigin), a virtual alias domain,
 * a hosted (virtual mailbox) domain, a relay domain, and '+' as recipient_delimiter.
 */
final class Fixture {
    static final Path SPOOL = Path.of("/var/mail");
    static final Path VMAIL = Path.of("/srv/vmail");

    private Fixture() {}

    static AddressingConfig.Builder addressing(List<LookupTable> virtualAliases) {
        return AddressingConfig.builder("example.com")
                .mydestination(List.of("example.com", "localhost"))
                .virtualAliasDomains(List.of("alias.example"))
                .virtualAliasMaps(virtualAliases)
                .virtualMailboxDomains(List.of("hosted.example"))
                .virtualMailboxMaps(Tables.postmap("vmailbox",
                        "bob@hosted.example    hosted.example/bob/",
                        "mbox@hosted.example   hosted.example/mbox",
                        "evil@hosted.example   ../../etc/",
                        "abs@hosted.example    /etc/"))
                .relayDomains(List.of("relay.example"))
                .recipientDelimiter(RecipientDelimiter.of("+"));
    }

    /** A router over the fixture's addressing with more settings applied. */
    static Router router(List<LookupTable> virtualAliases, UnaryOperator<RouterConfig.Builder> more) {
        RouterConfig.Builder b = RouterConfig.builder(new AddressClassifier(addressing(virtualAliases).build()), SPOOL)
                .virtualMailboxBase(VMAIL);
        return new Router(more.apply(b).build());
    }

    /** With a virtual alias domain, Postbus wants virtual_alias_maps too (AddressingConfig). */
    static Router router(UnaryOperator<RouterConfig.Builder> more) {
        return router(Tables.postmap("virtual", "abuse@alias.example  postmaster"), more);
    }

    static Router router() {
        return router(b -> b);
    }

    static RoutingTable relayhost(String relayhost) {
        return new RoutingTable(relayhost, Map.of());
    }
}
