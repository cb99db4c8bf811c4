package io.postbus.loadtest.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.loadtest.route.RoutingFixture;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The router benchmarks are listed for JMH and measure what they claim on the full-size tables. */
class RoutingBenchmarksTest {

    @Test
    void theRouterBenchmarksAreListed() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("RoutingBenchmark_route", "PostmapLoadBenchmark_load");
        }
    }

    @Test
    void everyCaseRoutesEveryRecipientItCyclesThrough() {
        for (RoutingFixture.Case c : RoutingFixture.Case.values()) {
            RoutingBenchmark b = new RoutingBenchmark();
            b.entries = 100_000;
            b.recipientCase = c.name();
            b.setUp();
            for (int k = 0; k < RoutingFixture.SPREAD + 1; k++) {
                var plan = b.route();
                assertThat(plan.bounced()).as(c + " bounced").isEmpty();
                assertThat(plan.destinations()).as(c + " destinations")
                        .hasSize(c == RoutingFixture.Case.VIRTUAL_ALIAS ? 2 : 1);
            }
        }
    }

    @Test
    void theLoadReadsEveryLine() throws Exception {
        PostmapLoadBenchmark b = new PostmapLoadBenchmark();
        b.entries = 100_000;
        b.setUp();
        try {
            var table = b.load();
            assertThat(table.size()).isEqualTo(100_000);
            assertThat(table.warnings()).isEmpty();
            assertThat(table.get("va99999@alias.example")).hasValue("user99999@example.com, fwd99999@gmail.test");
        } finally {
            b.tearDown();
        }
    }
}
