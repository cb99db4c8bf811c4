package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each Postfix address class to its transport and next hop (ADDRESS_CLASS_README; postconf(5)
 * local_transport, virtual_transport, relay_transport, default_transport, relayhost; trivial-rewrite
 * resolve.c), and the grouping into one job per (message, destination).
 */
class AddressClassRoutingTest {

    @Test
    void defaultClassGoesToTheMxOfEachDomainInFirstSeenOrder() {
        RoutingPlan plan = Fixture.router().route("alice@example.com", List.of("a@Example.ORG", "b@example.net", "c@example.org"));

        assertThat(plan.destinations()).extracting(Destination::name).containsExactly("example.org", "example.net");
        assertThat(plan.destinations().get(0).addresses()).as("the client's spelling when nothing rewrote it")
                .containsExactly("a@Example.ORG", "c@example.org");
        assertThat(plan.destinations()).allSatisfy(d -> {
            assertThat(d.nextHop()).as("MX lookup").isNull();
            assertThat(d.transport()).isEqualTo(Transport.SMTP);
            assertThat(d.site().topicSite()).isEqualTo("default");
            assertThat(d.site().basis()).as("this router has no DNS").isEqualTo(Site.Basis.NOT_LOOKED_UP);
        });
        assertThat(plan.destinations().get(0).recipients().get(0).rewritten()).isFalse();
    }

    @Test
    void configuredSitesGroupMxDestinations() {
        Router router = Fixture.router(b -> b.routing(new RoutingTable(null,
                SiteTable.parse(List.of("gmail:gmail.com,googlemail.com", "yahoo:yahoo.com")))));
        RoutingPlan plan = router.route("", List.of("x@gmail.com", "y@googlemail.com", "z@yahoo.com", "w@other.net"));

        assertThat(plan.destinations()).extracting(Destination::name, d -> d.site().name(), d -> d.site().topicSite())
                .containsExactly(tuple("gmail.com", "gmail", "gmail"), tuple("googlemail.com", "gmail", "gmail"),
                        tuple("yahoo.com", "yahoo", "yahoo"), tuple("other.net", "other.net", "default"));
    }

    @Test
    void relayhostTakesRelayAndDefaultClassesButNotLocalMail() {
        // resolve.c: "With off-host delivery, sender-dependent or global relayhost override the
        // recipient domain"; local delivery keeps local_transport.
        Router router = Fixture.router(b -> b.routing(Fixture.relayhost("[10.0.0.1]:2525")));
        RoutingPlan plan = router.route("", List.of("x@gmail.com", "y@relay.example", "joe@example.com"));

        assertThat(plan.destinations()).extracting(Destination::name, Destination::transport, Destination::nextHop).containsExactly(
                tuple("[10.0.0.1]:2525", Transport.SMTP, "[10.0.0.1]:2525"),
                tuple("maildir:/var/mail/joe", Transport.MAILDIR, "/var/mail/joe"));
        assertThat(plan.destinations().get(0).addresses()).containsExactly("x@gmail.com", "y@relay.example");
    }

    @Test
    void aClassTransportWithANextHopWinsOverRelayhost() {
        // resolve.c: "An explicit main.cf transport:nexthop setting overrides the nexthop."
        Router router = Fixture.router(b -> b.routing(Fixture.relayhost("[10.0.0.1]:25"))
                .transports(new ClassTransports(TransportEntry.parse("local"), TransportEntry.parse("virtual"),
                        TransportEntry.parse("relay:[mx.relay.example]:2525"), TransportEntry.parse("smtp"))));
        RoutingPlan plan = router.route("", List.of("y@relay.example", "x@gmail.com"));

        assertThat(plan.destinations()).extracting(Destination::nextHop).containsExactly("[mx.relay.example]:2525", "[10.0.0.1]:25");
    }

    @Test
    void relayClassWithoutRelayhostGoesToTheMxOfTheRelayDomain() {
        RoutingPlan plan = Fixture.router().route("", List.of("y@relay.example"));
        assertThat(plan.destinations()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("relay.example");
            assertThat(d.nextHop()).isNull();
        });
    }

    @Test
    void transportMapEntriesOverrideAsTransport5Describes() {
        Router router = Fixture.router(b -> b.routing(Fixture.relayhost("[10.0.0.1]:25")).transportMaps(Tables.postmap("transport",
                "relay.example        smtp:[127.0.0.1]:2526",
                "noop.example         :",
                "gateway.example      :[gw.example]",
                "direct.example       smtp:",
                "lmtp.example         lmtp:[127.0.0.1]:24",
                "example.com          lmtp:[dovecot.example]:24")));
        RoutingPlan plan = router.route("", List.of("a@relay.example", "b@noop.example", "c@gateway.example",
                "d@direct.example", "e@lmtp.example", "joe@example.com"));

        assertThat(plan.destinations()).extracting(Destination::name, Destination::transport, Destination::nextHop).containsExactly(
                tuple("[127.0.0.1]:2526", Transport.SMTP, "[127.0.0.1]:2526"),
                // "A null transport and null nexthop field means do not change": relayhost stays.
                tuple("[10.0.0.1]:25", Transport.SMTP, "[10.0.0.1]:25"),
                // ":[gateway]": "When no transport is specified, Postfix uses the transport that matches the address domain class".
                tuple("[gw.example]", Transport.SMTP, "[gw.example]"),
                // "smtp:" resets the next hop to the recipient domain, even over relayhost: MX delivery.
                tuple("direct.example", Transport.SMTP, null),
                tuple("lmtp:[127.0.0.1]:24", Transport.LMTP, "[127.0.0.1]:24"),
                // transport_maps apply to local domains too; local(8), and with it alias_maps, is then bypassed.
                tuple("lmtp:[dovecot.example]:24", Transport.LMTP, "[dovecot.example]:24"));
    }

    @Test
    void theWildcardCatchesWhatNoOtherEntryMatches() {
        Router router = Fixture.router(b -> b.transportMaps(Tables.postmap("transport",
                "example.org   :",
                "*             smtp:[outbound.example]")));
        RoutingPlan plan = router.route("", List.of("a@example.org", "b@example.net", "joe@example.com"));

        assertThat(plan.destinations()).extracting(Destination::name).containsExactly("example.org", "[outbound.example]");
    }

    @Test
    void virtualMailboxesAreMaildirsBelowTheBase() {
        // virtual(8): "the path name of the mailbox file relative to virtual_mailbox_base ... a Maildir if it ends in /"
        RoutingPlan plan = Fixture.router().route("", List.of("bob+news@hosted.example", "nobody@hosted.example"));

        assertThat(plan.destinations()).singleElement().satisfies(d -> {
            assertThat(d.transport()).isEqualTo(Transport.MAILDIR);
            assertThat(d.nextHop()).isEqualTo("/srv/vmail/hosted.example/bob");
            assertThat(d.addresses()).containsExactly("bob+news@hosted.example");
        });
        assertThat(plan.bounced()).singleElement().satisfies(b -> {
            assertThat(b.address()).isEqualTo("nobody@hosted.example");
            assertThat(b.reply().enhancedStatus()).isEqualTo("5.1.1");
            assertThat(b.category()).isEqualTo(BounceCategory.BAD_MAILBOX);
        });
    }

    @Test
    void unusableMailboxPathsWaitForTheTableToBeFixed() {
        RoutingPlan plan = Fixture.router().route("", List.of("mbox@hosted.example", "evil@hosted.example", "abs@hosted.example"));

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.deferred()).extracting(d -> d.reply().enhancedStatus(), RecipientOutcome.Deferred::rewritten)
                .containsOnly(tuple("4.3.5", true));
        assertThat(plan.deferred().get(0).reply().text()).contains("mbox file");
        assertThat(plan.deferred().get(1).reply().text()).contains("not a directory below virtual_mailbox_base");
    }

    @Test
    void virtualTransportOverLmtpDeliversToTheMailboxServer() {
        // The usual Dovecot setup: virtual_transport = lmtp:...
        Router router = Fixture.router(b -> b.transports(new ClassTransports(TransportEntry.parse("local"),
                TransportEntry.parse("lmtp:[127.0.0.1]:24"), TransportEntry.parse("relay"), TransportEntry.parse("smtp"))));
        RoutingPlan plan = router.route("", List.of("bob@hosted.example", "carol@hosted.example"));

        assertThat(plan.destinations()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("lmtp:[127.0.0.1]:24");
            assertThat(d.addresses()).as("the LMTP server decides who exists").containsExactly("bob@hosted.example", "carol@hosted.example");
        });
    }

    @Test
    void localUsersGetAMaildirInTheSpoolUnknownOnesBounce() {
        Router router = Fixture.router(b -> b.localUserMaps(Tables.postmap("users", "joe x", "ann x")));
        RoutingPlan plan = router.route("", List.of("Joe+tag@example.com", "mallory@example.com", "postmaster@example.com", "ann@localhost"));

        assertThat(plan.destinations()).extracting(Destination::nextHop)
                .containsExactly("/var/mail/joe", "/var/mail/postmaster", "/var/mail/ann");
        assertThat(plan.bounced()).singleElement().satisfies(b -> {
            // local(8): unknown user: "name", 5.1.1
            assertThat(b.reply().toString()).isEqualTo("550 5.1.1 unknown user: \"mallory\"");
            assertThat(b.category()).isEqualTo(BounceCategory.BAD_MAILBOX);
        });
    }

    @Test
    void aLocalPartThatCannotBeAMailboxNameIsNoUser() {
        RoutingPlan plan = Fixture.router().route("", List.of("../../etc@example.com", ".hidden@example.com"));
        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.bounced()).hasSize(2).allSatisfy(b -> assertThat(b.reply().enhancedStatus()).isEqualTo("5.1.1"));
    }

    @Test
    void mailboxTransportHandsLocalMailboxesToLmtpAfterAliasing() {
        // postconf(5) mailbox_transport: local(8) still expands aliases, then hands over.
        Router router = Fixture.router(b -> b.mailboxTransport(TransportEntry.parse("lmtp:[127.0.0.1]:24"))
                .aliasMaps(Tables.aliases("sales: joe")));
        RoutingPlan plan = router.route("", List.of("sales@example.com"));

        assertThat(plan.destinations()).singleElement().satisfies(d -> {
            assertThat(d.transport()).isEqualTo(Transport.LMTP);
            assertThat(d.nextHop()).isEqualTo("[127.0.0.1]:24");
            assertThat(d.recipients()).containsExactly(new Destination.RoutedRecipient("joe@example.com", "sales@example.com"));
        });
    }

    @Test
    void errorRetryAndDiscardTransportsEndAtRouting() {
        Router router = Fixture.router(b -> b.transportMaps(Tables.postmap("transport",
                "gone.example      error:5.1.2 this domain is gone",
                "bare.example      error:",
                ".old.example      error:mail for *.old.example is not deliverable",
                "later.example     retry:4.3.2 maintenance until Monday",
                "null.example      discard:spam trap")));
        RoutingPlan plan = router.route("", List.of("a@gone.example", "b@bare.example", "c@x.old.example",
                "d@later.example", "e@null.example"));

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.bounced()).extracting(b -> b.reply().toString(), RecipientOutcome.Bounced::category).containsExactly(
                tuple("550 5.1.2 this domain is gone", BounceCategory.BAD_DOMAIN),
                tuple("550 5.0.0 Address is undeliverable", BounceCategory.OTHER),
                tuple("550 5.0.0 mail for *.old.example is not deliverable", BounceCategory.OTHER));
        assertThat(plan.deferred()).singleElement().satisfies(d -> {
            assertThat(d.reply().toString()).isEqualTo("451 4.3.2 maintenance until Monday");
            assertThat(d.rewritten()).isTrue();
        });
        assertThat(plan.discarded()).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("spam trap"));
    }

    @Test
    void anEntryWeCannotUseDefersWithAConfigurationError() {
        Router router = Fixture.router(b -> b.transportMaps(Tables.postmap("transport", "example.org uucp:example")));
        RoutingPlan plan = router.route("", List.of("a@example.org"));

        assertThat(plan.deferred()).singleElement().satisfies(d -> {
            assertThat(d.reply().enhancedStatus()).isEqualTo("4.3.5");
            assertThat(d.reply().text()).contains("transport", "'example.org'", "unknown mail transport 'uucp'");
        });
    }

    @Test
    void classTransportsAreCheckedWhenConfigured() {
        assertThatThrownBy(() -> new ClassTransports(TransportEntry.parse(":x"), TransportEntry.parse("virtual"),
                TransportEntry.parse("relay"), TransportEntry.parse("nosuch")))
                .hasMessageContaining("local_transport: null transport is not allowed")
                .hasMessageContaining("default_transport: unknown mail transport 'nosuch'");
        assertThatThrownBy(() -> Fixture.router(b -> b.mailboxTransport(TransportEntry.parse("local"))))
                .hasMessageContaining("mailbox_transport must be smtp, relay or lmtp");
    }

    @Test
    void aDomainInTwoSitesIsAConfigurationError() {
        assertThatThrownBy(() -> SiteTable.parse(List.of("a:x.com", "b:x.com")))
                .hasMessageContaining("x.com is in two sites");
        assertThatThrownBy(() -> SiteTable.parse(List.of("nocolon"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RoutingTable(" ", Map.of()).relayhost()).isNull();
    }
}
