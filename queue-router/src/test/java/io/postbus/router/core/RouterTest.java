package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    @Test
    void oneDestinationPerRecipientDomainInFirstSeenOrder() {
        Router router = new Router(new RoutingTable(null, Map.of()));
        List<Destination> ds = router.route(List.of("a@Example.COM", "b@example.org", "c@example.com"));

        assertThat(ds).extracting(Destination::name).containsExactly("example.com", "example.org");
        assertThat(ds.get(0).recipients()).containsExactly("a@Example.COM", "c@example.com");
        assertThat(ds).allSatisfy(d -> {
            assertThat(d.nextHop()).as("MX lookup").isNull();
            assertThat(d.transport()).isEqualTo(Transport.SMTP);
            assertThat(d.site()).isEqualTo("default");
        });
    }

    @Test
    void configuredSitesGetTheirOwnTopicGroup() {
        Router router = new Router(new RoutingTable(null,
                RoutingTable.parseSites(List.of("gmail:gmail.com,googlemail.com", "yahoo:yahoo.com"))));
        List<Destination> ds = router.route(List.of("x@gmail.com", "y@googlemail.com", "z@yahoo.com", "w@other.net"));

        assertThat(ds).extracting(Destination::name, Destination::site).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gmail.com", "gmail"),
                org.assertj.core.groups.Tuple.tuple("googlemail.com", "gmail"),
                org.assertj.core.groups.Tuple.tuple("yahoo.com", "yahoo"),
                org.assertj.core.groups.Tuple.tuple("other.net", "default"));
    }

    @Test
    void relayhostTakesEveryRecipientInOneJob() {
        Router router = new Router(new RoutingTable("[10.0.0.1]:2525", Map.of("gmail.com", "gmail")));
        List<Destination> ds = router.route(List.of("x@gmail.com", "y@example.org"));

        assertThat(ds).hasSize(1);
        assertThat(ds.get(0).name()).isEqualTo("[10.0.0.1]:2525");
        assertThat(ds.get(0).nextHop()).isEqualTo("[10.0.0.1]:2525");
        assertThat(ds.get(0).recipients()).containsExactly("x@gmail.com", "y@example.org");
    }

    @Test
    void aDomainInTwoSitesIsAConfigurationError() {
        assertThatThrownBy(() -> RoutingTable.parseSites(List.of("a:x.com", "b:x.com")))
                .hasMessageContaining("x.com is in two sites");
        assertThatThrownBy(() -> RoutingTable.parseSites(List.of("nocolon"))).isInstanceOf(IllegalArgumentException.class);
    }
}
