package io.postbus.core.dns.dnsjava;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResolverContract;
import io.postbus.core.dns.TestZones;
import io.postbus.core.dns.zone.ZoneServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared contract, asked over real UDP/TCP of a loopback server serving the same zone files. */
class DnsJavaResolverContractTest implements DnsResolverContract {
    private static ZoneServer server;
    private static DnsJavaResolver resolver;

    @BeforeAll
    static void start() throws IOException {
        server = ZoneServer.start(TestZones.resolver());
        resolver = new DnsJavaResolver(
                DnsJavaResolverConfig.forServers(List.of(server.address()))
                        .withTimeout(Duration.ofMillis(300))
                        .withRetries(0),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Override
    public DnsResolver resolver() {
        return resolver;
    }
}
