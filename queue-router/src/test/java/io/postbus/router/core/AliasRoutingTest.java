package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.postbus.core.table.LookupTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Virtual aliases (virtual(5), cleanup(8)) and local aliases (aliases(5), local(8)) in routing.
 */
class AliasRoutingTest {
    private static final List<LookupTable> VIRTUAL = Tables.postmap("virtual",
            "team@alias.example     a@x.example, b@y.example",
            "info@alias.example     team@alias.example, joe",
            "loop1@alias.example    loop2@alias.example",
            "loop2@alias.example    loop1@alias.example",
            "self@alias.example     self@example.com, self@alias.example",
            "bad@alias.example      ok@x.example, @y.example",
            "sales@example.com      sales@example.com, archive@x.example");

    @Test
    void aVirtualAliasExpandsOneToManyEachRoutedByItsOwnDomain() {
        RoutingPlan plan = Fixture.router(VIRTUAL, b -> b).route("", List.of("team@alias.example"));

        assertThat(plan.destinations()).extracting(Destination::name).containsExactly("x.example", "y.example");
        assertThat(plan.destinations()).flatExtracting(Destination::recipients).containsExactly(
                new Destination.RoutedRecipient("a@x.example", "team@alias.example"),
                new Destination.RoutedRecipient("b@y.example", "team@alias.example"));
    }

    @Test
    void expansionIsRecursiveAndUnqualifiedResultsGetMyorigin() {
        // virtual(5): "the lookup result is subject to further lookups"; append_at_myorigin for "joe".
        RoutingPlan plan = Fixture.router(VIRTUAL, b -> b).route("", List.of("info@alias.example"));

        assertThat(plan.destinations()).flatExtracting(Destination::addresses)
                .containsExactly("a@x.example", "b@y.example", "joe@example.com");
    }

    @Test
    void aVirtualAliasLoopDefersTheRecipientUnexpandedWith460() {
        // cleanup_map1n.c: "unreasonable virtual_alias_maps map nesting ... message not accepted,
        // try again later" with "4.6.0 Alias expansion error" and the address unexpanded.
        RoutingPlan plan = Fixture.router(VIRTUAL, b -> b).route("", List.of("loop1@alias.example", "a@x.example"));

        assertThat(plan.destinations()).extracting(Destination::name).containsExactly("x.example");
        assertThat(plan.deferred()).singleElement().satisfies(d -> {
            assertThat(d.address()).isEqualTo("loop1@alias.example");
            assertThat(d.rewritten()).as("everything runs again next time").isFalse();
            assertThat(d.reply().code()).isEqualTo(451);
            assertThat(d.reply().enhancedStatus()).isEqualTo("4.6.0");
            assertThat(d.reply().text()).startsWith("Alias expansion error: alias loop: loop1@alias.example -> loop2@alias.example");
        });
        assertThat(plan.bounced()).isEmpty();
    }

    @Test
    void anAliasResultThatIsNoAddressAlsoDefers() {
        RoutingPlan plan = Fixture.router(VIRTUAL, b -> b).route("", List.of("bad@alias.example"));
        assertThat(plan.deferred()).singleElement().satisfies(d -> assertThat(d.reply().text()).contains("non-address result"));
    }

    @Test
    void anAddressAliasedToItselfIsKeptAndRoutedByItsClass() {
        // virtual(5): "to terminate recursion for a specific address, alias that address to itself".
        RoutingPlan plan = Fixture.router(VIRTUAL, b -> b).route("", List.of("self@alias.example"));

        assertThat(plan.destinations()).extracting(Destination::nextHop).containsExactly("/var/mail/self");
        assertThat(plan.bounced()).as("a virtual alias domain has no mailboxes: resolve.c error:User unknown")
                .singleElement().satisfies(b -> {
                    assertThat(b.address()).isEqualTo("self@alias.example");
                    assertThat(b.reply().toString()).isEqualTo("550 5.1.1 User unknown in virtual alias table");
                });
    }

    @Test
    void anUnaliasedVirtualAliasAddressIsUnknownWhateverTheTransportMapSays() {
        Router router = Fixture.router(VIRTUAL, b -> b.transportMaps(Tables.postmap("transport", "* smtp:[relay.example]")));
        RoutingPlan plan = router.route("", List.of("nobody@alias.example"));

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.bounced()).singleElement().satisfies(b -> assertThat(b.category()).isEqualTo(BounceCategory.BAD_MAILBOX));
    }

    @Test
    void localAliasesExpandToMailboxesAndForwardTheRest() {
        Router router = Fixture.router(b -> b.aliasMaps(Tables.aliases(
                "sales: joe, ann@x.example,",
                "  \"|/usr/bin/procmail\", /var/log/sales.mbox",
                "ann: ann")));
        RoutingPlan plan = router.route("", List.of("sales@example.com"));

        assertThat(plan.destinations()).extracting(Destination::name, Destination::nextHop).containsExactly(
                tuple("maildir:/var/mail/joe", "/var/mail/joe"), tuple("x.example", null));
        // local(8): "mail to command is restricted", 5.7.1; one Bounce per address, the first reason.
        assertThat(plan.bounced()).extracting(b -> b.reply().toString(), RecipientOutcome.Bounced::category).containsExactly(
                tuple("550 5.7.1 mail to command is restricted", BounceCategory.POLICY));
        assertThat(plan.bounced().get(0).address()).isEqualTo("sales@example.com");
    }

    @Test
    void commandAndFileTargetsBounceEachOnItsOwn() {
        Router router = Fixture.router(b -> b.aliasMaps(Tables.aliases(
                "cmd: |/usr/bin/vacation",
                "file: /tmp/x",
                "home: ~/mail")));
        RoutingPlan plan = router.route("", List.of("cmd@example.com", "file@example.com", "home@example.com"));

        assertThat(plan.bounced()).extracting(b -> b.reply().text()).containsExactly(
                "mail to command is restricted", "mail to file is restricted", "mail to file is restricted");
    }

    @Test
    void anAliasThatNamesItselfDeliversToTheMailbox() {
        // local(8) alias.c: "when an alias includes its own name, deliver to the user instead".
        Router router = Fixture.router(b -> b.aliasMaps(Tables.aliases("joe: joe, copy@x.example, |/usr/bin/vacation")));
        RoutingPlan plan = router.route("", List.of("joe@example.com"));

        assertThat(plan.destinations()).extracting(Destination::nextHop).containsExactly("/var/mail/joe", null);
        assertThat(plan.bounced()).as("delivered to the mailbox, and the command still refused")
                .extracting(RecipientOutcome::address).containsExactly("joe@example.com");
    }

    @Test
    void anAliasLoopBouncesWith546() {
        // local(8) alias.c: "alias database loop for %s", 5.4.6.
        Router router = Fixture.router(b -> b.aliasMaps(Tables.aliases("a: b", "b: c", "c: a")));
        RoutingPlan plan = router.route("", List.of("a@example.com"));

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.bounced()).singleElement().satisfies(b -> {
            assertThat(b.reply().toString()).isEqualTo("550 5.4.6 alias database loop for a");
            assertThat(b.category()).isEqualTo(BounceCategory.ROUTING_LOOP);
            assertThat(b.original()).isEqualTo("a@example.com");
        });
    }

    @Test
    void aliasesAreLookedUpByLocalPartWithTheExtensionFirst() {
        Router router = Fixture.router(b -> b.aliasMaps(Tables.aliases("joe+list: list@x.example", "joe: ann")));
        RoutingPlan plan = router.route("", List.of("joe+list@example.com", "joe+other@example.com"));

        assertThat(plan.destinations()).flatExtracting(Destination::addresses)
                .containsExactly("list@x.example", "ann@example.com");
    }

    @Test
    void aliasesApplyToLocalDomainsOnly() {
        // aliases(5): "redirects mail for local recipients"; hosted.example is a virtual mailbox domain.
        Router router = Fixture.router(b -> b.aliasMaps(Tables.aliases("bob: joe")));
        RoutingPlan plan = router.route("", List.of("bob@hosted.example"));

        assertThat(plan.destinations()).extracting(Destination::nextHop).containsExactly("/srv/vmail/hosted.example/bob");
    }

    @Test
    void aForwardedAliasTargetGoesThroughVirtualAliasingAgain() {
        // local(8) forwards non-local destinations through cleanup(8), which applies virtual_alias_maps.
        Router router = Fixture.router(VIRTUAL, b -> b.aliasMaps(Tables.aliases("support: team@alias.example")));
        RoutingPlan plan = router.route("", List.of("support@example.com"));

        assertThat(plan.destinations()).flatExtracting(Destination::recipients).containsExactly(
                new Destination.RoutedRecipient("a@x.example", "support@example.com"),
                new Destination.RoutedRecipient("b@y.example", "support@example.com"));
    }

    @Test
    void aVirtualAliasThatKeepsItselfThenMeetsLocalAliases() {
        Router router = Fixture.router(VIRTUAL, b -> b.aliasMaps(Tables.aliases("sales: joe")));
        RoutingPlan plan = router.route("", List.of("sales@example.com"));

        assertThat(plan.destinations()).flatExtracting(Destination::addresses)
                .containsExactly("joe@example.com", "archive@x.example");
    }

    @Test
    void eachFinalAddressIsRoutedOnceFirstOriginalKept() {
        RoutingPlan plan = Fixture.router(VIRTUAL, b -> b).route("", List.of("team@alias.example", "A@x.example", "info@alias.example"));

        assertThat(plan.destinations()).flatExtracting(Destination::recipients).containsExactly(
                new Destination.RoutedRecipient("a@x.example", "team@alias.example"),
                new Destination.RoutedRecipient("b@y.example", "team@alias.example"),
                new Destination.RoutedRecipient("joe@example.com", "info@alias.example"));
    }

    @Test
    void aForwardLoopThroughVirtualAliasesIsCaught() {
        Router router = Fixture.router(Tables.postmap("virtual", "out@x.example  fwd@example.com"),
                b -> b.aliasMaps(Tables.aliases("fwd: out@x.example")));
        RoutingPlan plan = router.route("", List.of("fwd@example.com"));

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.bounced()).singleElement().satisfies(b -> assertThat(b.reply().enhancedStatus()).isEqualTo("5.4.6"));
    }
}
