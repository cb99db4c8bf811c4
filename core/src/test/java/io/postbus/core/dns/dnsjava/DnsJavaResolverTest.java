package io.postbus.core.dns.dnsjava;

import static io.postbus.core.dns.DnsResolverContract.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.TestZones;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.dns.zone.ZoneServer;
import io.postbus.testkit.MutableClock;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Caching, timeouts, retries and transport, against a real server on loopback. */
class DnsJavaResolverTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private ZoneServer server;
    private DnsJavaResolver resolver;

    @BeforeEach
    void start() throws IOException {
        server = ZoneServer.start(TestZones.resolver());
        resolver = resolver(c -> c);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private DnsJavaResolver resolver(UnaryOperator<DnsJavaResolverConfig> tweak) {
        return resolver(tweak, server.address());
    }

    private DnsJavaResolver resolver(UnaryOperator<DnsJavaResolverConfig> tweak, InetSocketAddress... servers) {
        DnsJavaResolverConfig base = DnsJavaResolverConfig.forServers(List.of(servers))
                .withTimeout(TIMEOUT).withRetries(0);
        return new DnsJavaResolver(tweak.apply(base), clock);
    }

    // --- positive caching

    @Test
    void answerIsCachedForItsTtl() {
        assertThat(resolver.txt("short.example.org")).isEqualTo(DnsResult.answer(List.of("short-lived")));
        resolver.txt("short.example.org");
        assertThat(server.queries("short.example.org", "TXT")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(59));
        resolver.txt("short.example.org");
        assertThat(server.queries("short.example.org", "TXT")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1)); // TTL 60 s has now run out
        assertThat(resolver.txt("short.example.org")).isEqualTo(DnsResult.answer(List.of("short-lived")));
        assertThat(server.queries("short.example.org", "TXT")).isEqualTo(2);
    }

    @Test
    void chainIsCachedForItsSmallestTtl() {
        assertThat(resolver.txt("via.example.org")).isEqualTo(DnsResult.answer(List.of("long-lived")));
        clock.advance(Duration.ofSeconds(9));
        resolver.txt("via.example.org");
        assertThat(server.queries("via.example.org", "TXT")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2)); // past the CNAME's 10 s
        resolver.txt("via.example.org");
        assertThat(server.queries("via.example.org", "TXT")).isEqualTo(2);
    }

    @Test
    void longTtlIsCappedByMaxTtl() {
        DnsJavaResolver capped = resolver(c -> c.withMaxTtl(Duration.ofHours(1)));
        capped.txt("long.example.org");
        clock.advance(Duration.ofHours(1));
        capped.txt("long.example.org");
        assertThat(server.queries("long.example.org", "TXT")).isEqualTo(2);
    }

    @Test
    void typesAndNamesAreCachedApart() {
        resolver.a("mx1.example.com");
        resolver.aaaa("mx1.example.com");
        resolver.a("MX1.example.com.");
        assertThat(server.queries("mx1.example.com", "A")).isEqualTo(1);
        assertThat(server.queries("mx1.example.com", "AAAA")).isEqualTo(1);
    }

    @Test
    void ptrIsCachedUnderTheReverseName() {
        resolver.ptr(ip("192.0.2.25"));
        resolver.ptr(ip("192.0.2.25"));
        assertThat(server.queries("25.2.0.192.in-addr.arpa", "PTR")).isEqualTo(1);
    }

    @Test
    void cacheSizeZeroTurnsCachingOff() {
        DnsJavaResolver uncached = resolver(c -> c.withCacheSize(0));
        uncached.a("mx1.example.com");
        uncached.a("mx1.example.com");
        assertThat(server.queries("mx1.example.com", "A")).isEqualTo(2);
    }

    // --- negative caching (RFC 2308)

    @Test
    void nxDomainIsCachedForTheSoaNegativeTtl() {
        assertThat(resolver.a("nope.example.org")).isEqualTo(new DnsResult.NxDomain<>("nope.example.org"));
        clock.advance(Duration.ofSeconds(29));
        assertThat(resolver.a("nope.example.org")).isEqualTo(new DnsResult.NxDomain<>("nope.example.org"));
        assertThat(server.queries("nope.example.org", "A")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1)); // min(SOA TTL 120, MINIMUM 30) = 30 s
        resolver.a("nope.example.org");
        assertThat(server.queries("nope.example.org", "A")).isEqualTo(2);
    }

    @Test
    void noDataIsCachedToo() {
        assertThat(resolver.a("short.example.org")).isEqualTo(new DnsResult.NoData<>("short.example.org"));
        resolver.a("short.example.org");
        assertThat(server.queries("short.example.org", "A")).isEqualTo(1);
    }

    @Test
    void negativeTtlIsCappedByMaxNegativeTtl() {
        DnsJavaResolver capped = resolver(c -> c.withMaxNegativeTtl(Duration.ofSeconds(10)));
        capped.a("nope.example.com"); // this zone's negative TTL is 300 s
        clock.advance(Duration.ofSeconds(10));
        capped.a("nope.example.com");
        assertThat(server.queries("nope.example.com", "A")).isEqualTo(2);
    }

    @Test
    void negativeAnswerWithoutSoaIsNotCached() {
        // out-of-zone names get NXDOMAIN with no SOA from the test server (RFC 2308 §5: don't cache)
        resolver.a("example.invalid");
        resolver.a("example.invalid");
        assertThat(server.queries("example.invalid", "A")).isEqualTo(2);
    }

    // --- failures

    @Test
    void servfailIsAFailureAndNotCached() {
        assertThat(resolver.txt("servfail.example.com")).isInstanceOfSatisfying(DnsResult.Failure.class, f ->
                assertThat(f.kind()).isEqualTo(Kind.SERVFAIL));
        resolver.txt("servfail.example.com");
        assertThat(server.queries("servfail.example.com", "TXT")).isEqualTo(2);
    }

    @Test
    void failureTtlCachesFailuresBriefly() {
        DnsJavaResolver r = resolver(c -> c.withFailureTtl(Duration.ofSeconds(5)));
        r.txt("servfail.example.com");
        r.txt("servfail.example.com");
        assertThat(server.queries("servfail.example.com", "TXT")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        r.txt("servfail.example.com");
        assertThat(server.queries("servfail.example.com", "TXT")).isEqualTo(2);
    }

    @Test
    void silenceIsATimeoutWithinTheConfiguredBudget() {
        DnsJavaResolver r = resolver(c -> c.withRetries(1));
        long start = System.nanoTime();
        DnsResult<List<InetAddress>> result = r.a("timeout.example.com");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOfSatisfying(DnsResult.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(f.name()).isEqualTo("timeout.example.com");
        });
        assertThat(server.queries("timeout.example.com", "A")).as("first try plus one retry").isEqualTo(2);
        // (1 + retries) × timeout = 600 ms, plus scheduling slack
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(2).minusMillis(50))
                .isLessThan(TIMEOUT.multipliedBy(2).plusMillis(700));
    }

    @Test
    void servfailIsNotRetriedOnTheSameServer() {
        DnsJavaResolver r = resolver(c -> c.withRetries(3));
        r.txt("servfail.example.com");
        assertThat(server.queries("servfail.example.com", "TXT")).isEqualTo(1);
    }

    @Test
    void malformedReplyIsMalformed() throws IOException {
        try (ZoneServer garbling = ZoneServer.start(TestZones.resolver().withFailure("garbled.example.com", Kind.MALFORMED))) {
            assertThat(resolver(c -> c, garbling.address()).a("garbled.example.com"))
                    .isInstanceOfSatisfying(DnsResult.Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.MALFORMED));
        }
    }

    @Test
    void unexpectedRcodeIsOther() throws IOException {
        try (ZoneServer odd = ZoneServer.start(TestZones.resolver().withFailure("notimp.example.com", Kind.OTHER))) {
            assertThat(resolver(c -> c, odd.address()).a("notimp.example.com"))
                    .isInstanceOfSatisfying(DnsResult.Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.OTHER));
        }
    }

    // --- several servers

    @Test
    void silentServerIsSkippedForTheNextOne() throws IOException {
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress silent = new InetSocketAddress(blackHole.getLocalAddress(), blackHole.getLocalPort());
            DnsJavaResolver r = resolver(c -> c, silent, server.address());
            assertThat(r.a("mx1.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.25"))));
        }
    }

    @Test
    void failingServerIsSkippedForTheNextOne() throws IOException {
        ZoneFileResolver broken = ZoneFileResolver.fromString("invalid", "@ A 192.0.2.1")
                .withOutOfZone(ZoneFileResolver.OutOfZone.SERVFAIL);
        try (ZoneServer failing = ZoneServer.start(broken)) {
            DnsJavaResolver r = resolver(c -> c, failing.address(), server.address());
            assertThat(r.a("mx1.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.25"))));
            assertThat(failing.queries("mx1.example.com", "A")).isEqualTo(1);
        }
    }

    // --- transport and chains

    @Test
    void truncatedUdpAnswerIsRetriedOverTcp() throws IOException {
        String chunk = "x".repeat(250);
        String big = String.join(" ", java.util.Collections.nCopies(8, '"' + chunk + '"'));
        try (ZoneServer bigServer = ZoneServer.start(TestZones.resolver().withZone("big.test", "@ TXT " + big))) {
            DnsResult<List<String>> result = resolver(c -> c, bigServer.address()).txt("big.test");
            assertThat(result).isEqualTo(DnsResult.answer(List.of(chunk.repeat(8))));
            assertThat(bigServer.tcpQueries()).isEqualTo(1);
        }
    }

    @Test
    void chainLeftUnfinishedByTheServerIsFinishedWithMoreQueries() throws IOException {
        try (ZoneServer authoritative = ZoneServer.startWithoutChasing(TestZones.resolver())) {
            DnsJavaResolver r = resolver(c -> c, authoritative.address());
            assertThat(r.a("www.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.80"))));
            assertThat(authoritative.queries("web.example.com", "A")).isEqualTo(1);
            assertThat(authoritative.queries("host.example.com", "A")).isEqualTo(1);
            assertThat(r.a("dangling.example.com")).isEqualTo(new DnsResult.NxDomain<>("dangling.example.com"));
        }
    }
}
