package io.postbus.loadtest.jmh;

import io.postbus.loadtest.route.RoutingFixture;
import io.postbus.router.core.Router;
import io.postbus.router.core.RoutingPlan;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Routing decisions per second on one thread with 100,000-entry tables (virtual aliases, transport map,
 * local users): {@code Router.route(sender, [one recipient])}, the queue-router's whole per-message decision
 * (sender rewrite, virtual alias expansion, address class, transport lookup, grouping by destination).
 * Each invocation takes the next of {@link RoutingFixture#SPREAD} recipients spread over the tables.
 */
@State(Scope.Benchmark)
public class RoutingBenchmark extends BenchmarkDefaults {
    @Param({"100000"})
    public int entries;

    @Param({"VIRTUAL_ALIAS", "TRANSPORT_RELAY", "LOCAL_USER", "DEFAULT_MX"})
    public String recipientCase;

    private Router router;
    private List<List<String>> recipients;
    private int next;

    @Setup
    public void setUp() {
        RoutingFixture fixture = RoutingFixture.create(entries, Path.of("/var/mail"));
        router = fixture.router();
        recipients = fixture.recipients(RoutingFixture.Case.valueOf(recipientCase));
    }

    @Benchmark
    public RoutingPlan route() {
        List<String> rcpt = recipients.get(next);
        next = (next + 1) % recipients.size();
        return router.route(RoutingFixture.SENDER, rcpt);
    }
}
