package io.postbus.loadtest.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.loadtest.route.RoutingFixture.Case;
import io.postbus.router.core.Destination;
import io.postbus.router.core.RoutingPlan;
import io.postbus.router.core.Transport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each of the benchmark's four cases takes the path it is named after, at the start, middle and end of the
 * 100,000-entry tables (Postfix ADDRESS_CLASS_README: local, virtual alias, relay, default classes;
 * transport(5) for the relay next hop).
 */
class RoutingFixtureTest {
    private static final int ENTRIES = 100_000;
    private static RoutingFixture fixture;

    @BeforeAll
    static void build() {
        fixture = RoutingFixture.create(ENTRIES, Path.of("/var/mail"));
    }

    private static RoutingPlan route(Case c, int i) {
        RoutingPlan plan = fixture.router().route(RoutingFixture.SENDER, List.of(RoutingFixture.recipient(c, i)));
        assertThat(plan.bounced()).as("bounced").isEmpty();
        assertThat(plan.deferred()).as("deferred").isEmpty();
        assertThat(plan.discarded()).as("discarded").isEmpty();
        return plan;
    }

    @Test
    void aVirtualAliasExpandsToALocalUserAndARemoteAddress() {
        for (int i : new int[] {0, ENTRIES / 2, ENTRIES - 1}) {
            RoutingPlan plan = route(Case.VIRTUAL_ALIAS, i);
            assertThat(plan.destinations()).extracting(Destination::transport).containsExactlyInAnyOrder(Transport.MAILDIR, Transport.SMTP);
            assertThat(plan.destinations()).flatExtracting(Destination::addresses)
                    .containsExactlyInAnyOrder("user" + i + "@example.com", "fwd" + i + "@gmail.test");
        }
    }

    @Test
    void aRelayDomainGoesToItsTransportMapNextHop() {
        for (int i : new int[] {0, 70_000, ENTRIES - 1}) {
            RoutingPlan plan = route(Case.TRANSPORT_RELAY, i);
            String hop = RoutingFixture.relayNextHop(i).substring("relay:".length());
            assertThat(plan.destinations()).singleElement().satisfies(d -> {
                assertThat(d.transport()).isEqualTo(Transport.SMTP);
                assertThat(d.nextHop()).isEqualTo(hop);
            });
        }
    }

    @Test
    void aLocalUserGetsMaildirDeliveryAndAnUnknownOneBounces() {
        RoutingPlan plan = route(Case.LOCAL_USER, ENTRIES - 1);
        assertThat(plan.destinations()).singleElement().extracting(Destination::transport).isEqualTo(Transport.MAILDIR);
        // Beyond the table: the local user table is really consulted (RFC 5321 §3.3 550 user unknown).
        RoutingPlan unknown = fixture.router().route(RoutingFixture.SENDER, List.of(RoutingFixture.recipient(Case.LOCAL_USER, ENTRIES)));
        assertThat(unknown.bounced()).hasSize(1);
    }

    @Test
    void anyOtherDomainGoesToItsMxHosts() {
        RoutingPlan plan = route(Case.DEFAULT_MX, 12_345);
        assertThat(plan.destinations()).singleElement().satisfies(d -> {
            assertThat(d.transport()).isEqualTo(Transport.SMTP);
            assertThat(d.nextHop()).isNull();
            assertThat(d.name()).isEqualTo("d12345.gmail.test");
        });
    }

    @Test
    void theRecipientsSpreadOverTheWholeTable() {
        List<List<String>> r = fixture.recipients(Case.LOCAL_USER);
        assertThat(r).hasSize(RoutingFixture.SPREAD).doesNotHaveDuplicates();
        assertThat(r.get(0)).containsExactly("user0@example.com");
        assertThat(r.get(RoutingFixture.SPREAD - 1).get(0)).startsWith("user99");
    }
}
