package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Envelope rewriting as cleanup(8) does it before routing: append_at_myorigin, canonical(5) with
 * recipient_canonical_maps, sender_canonical_maps and canonical_maps, then virtual(5).
 */
class RewritingTest {

    @Test
    void unqualifiedAddressesGetMyorigin() {
        // postconf(5) myorigin: "The domain name that locally-posted mail appears to come from";
        // append_at_myorigin completes a bare local part.
        RoutingPlan plan = Fixture.router().route("alice", List.of("postmaster"));

        assertThat(plan.sender()).isEqualTo("alice@example.com");
        assertThat(plan.destinations()).singleElement().satisfies(d -> {
            assertThat(d.nextHop()).isEqualTo("/var/mail/postmaster");
            assertThat(d.recipients()).containsExactly(new Destination.RoutedRecipient("postmaster@example.com", "postmaster"));
        });
    }

    @Test
    void theNullSenderIsNeverRewritten() {
        Router router = Fixture.router(b -> b.senderCanonicalMaps(Tables.postmap("sc", "@example.com  @corp.example")));
        assertThat(router.route("", List.of("a@x.example")).sender()).isEmpty();
    }

    @Test
    void senderCanonicalThenCanonicalRewriteTheSender() {
        // cleanup_addr.c: sender_canonical_maps first, then canonical_maps.
        Router router = Fixture.router(b -> b
                .senderCanonicalMaps(Tables.postmap("sender_canonical", "alice@example.com  alice.smith@example.com"))
                .canonicalMaps(Tables.postmap("canonical", "@example.com  @corp.example")));

        assertThat(router.route("alice@example.com", List.of("a@x.example")).sender()).isEqualTo("alice.smith@corp.example");
        assertThat(router.route("bob@example.com", List.of("a@x.example")).sender()).isEqualTo("bob@corp.example");
    }

    @Test
    void senderCanonicalDoesNotTouchRecipientsNorRecipientCanonicalTheSender() {
        Router router = Fixture.router(b -> b
                .senderCanonicalMaps(Tables.postmap("sc", "a@x.example  changed@x.example"))
                .recipientCanonicalMaps(Tables.postmap("rc", "s@x.example  changed@x.example")));
        RoutingPlan plan = router.route("s@x.example", List.of("a@x.example"));

        assertThat(plan.sender()).isEqualTo("s@x.example");
        assertThat(plan.destinations().get(0).addresses()).containsExactly("a@x.example");
    }

    @Test
    void recipientCanonicalRunsBeforeCanonicalAndBeforeVirtualAliases() {
        Router router = Fixture.router(Tables.postmap("virtual", "team@corp.example  a@x.example, b@y.example"), b -> b
                .recipientCanonicalMaps(Tables.postmap("recipient_canonical", "team@old.example  team@mid.example"))
                .canonicalMaps(Tables.postmap("canonical", "@mid.example  @corp.example")));
        RoutingPlan plan = router.route("", List.of("team@old.example"));

        assertThat(plan.destinations()).flatExtracting(Destination::recipients).containsExactly(
                new Destination.RoutedRecipient("a@x.example", "team@old.example"),
                new Destination.RoutedRecipient("b@y.example", "team@old.example"));
    }

    @Test
    void canonicalLookupsFollowTheVirtualSearchOrderAndPropagateExtensions() {
        // canonical(5): user@domain, user (local domains), @domain; "propagate_unmatched_extensions"
        // contains canonical by default: joe+tag@example.com -> joe.doe+tag@example.com.
        Router router = Fixture.router(b -> b.canonicalMaps(Tables.postmap("canonical",
                "joe           joe.doe",
                "@legacy.example  @x.example")));
        RoutingPlan plan = router.route("", List.of("joe+tag@example.com", "ann@legacy.example"));

        assertThat(plan.destinations()).flatExtracting(Destination::addresses)
                .containsExactly("joe.doe+tag@example.com", "ann@x.example");
        assertThat(plan.destinations().get(0).nextHop()).isEqualTo("/var/mail/joe.doe");
    }

    @Test
    void canonicalMappingIsOneToOneAndRepeatedUntilItSettles() {
        // cleanup_map11.c: only the first address of a multi-valued entry; the result is looked up again.
        Router router = Fixture.router(b -> b.canonicalMaps(Tables.postmap("canonical",
                "a@x.example  b@x.example, c@x.example",
                "b@x.example  d@x.example",
                "d@x.example  d@x.example")));
        assertThat(router.route("", List.of("a@x.example")).destinations()).flatExtracting(Destination::addresses)
                .containsExactly("d@x.example");
    }

    @Test
    void aCanonicalLoopDefersWith460() {
        Router router = Fixture.router(b -> b.canonicalMaps(Tables.postmap("canonical",
                "a@x.example  b@x.example",
                "b@x.example  a@x.example")));
        RoutingPlan plan = router.route("", List.of("a@x.example"));

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.deferred()).singleElement().satisfies(d -> {
            assertThat(d.reply().enhancedStatus()).isEqualTo("4.6.0");
            assertThat(d.reply().text()).contains("unreasonable canonical map nesting for a@x.example");
            assertThat(d.rewritten()).isFalse();
        });
    }

    @Test
    void aSenderRewritingErrorHoldsTheWholeMessage() {
        Router router = Fixture.router(b -> b.senderCanonicalMaps(Tables.postmap("sc",
                "a@x.example  b@x.example",
                "b@x.example  a@x.example")));
        RoutingPlan plan = router.route("a@x.example", List.of("r1@y.example", "r2@y.example"));

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.deferred()).extracting(RecipientOutcome::address).containsExactly("r1@y.example", "r2@y.example");
        assertThat(plan.deferred()).allSatisfy(d -> assertThat(d.reply().text()).startsWith("Sender address rewriting error"));
    }

    @Test
    void aRecipientDeferredAfterRewritingIsNotRewrittenAgain() {
        // Deferred after virtual aliasing: expanding again would alias an alias target a second time.
        Router router = Fixture.router(Tables.postmap("virtual", "a@x.example  b@x.example"), b -> b);
        RoutingPlan fresh = router.route("", List.of("a@x.example"));
        RoutingPlan resumed = router.route("", List.of("a@x.example"), Set.of("a@x.example"));

        assertThat(fresh.destinations().get(0).addresses()).containsExactly("b@x.example");
        assertThat(resumed.destinations().get(0).addresses()).containsExactly("a@x.example");
    }

    @Test
    void aRecipientThatIsNoAddressBounces() {
        RoutingPlan plan = Fixture.router().route("", List.of("@x.example"));
        assertThat(plan.bounced()).singleElement().satisfies(b -> assertThat(b.reply().toString()).isEqualTo("550 5.1.3 bad address syntax"));
    }
}
