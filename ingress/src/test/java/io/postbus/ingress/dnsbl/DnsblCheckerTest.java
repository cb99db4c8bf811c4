package io.postbus.ingress.dnsbl;

import static io.postbus.ingress.dnsbl.TestZones.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.ingress.dnsbl.DnsblVerdict.Decision;
import io.postbus.ingress.dnsbl.DnsblVerdict.Listing;
import io.postbus.ingress.dnsbl.DnsblVerdict.LookupFailure;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checker against the real zone-file resolver loaded with the test lists, scored with
 * {@link TestZones#SITES} (zen*3, barracuda=127.0.0.[2..11]*2, sem*2, dnswl*-2) and threshold 3.
 */
class DnsblCheckerTest {
    private static final ZoneFileResolver ZONES = TestZones.resolver();
    private static ExecutorService executor;

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    private static DnsblVerdict check(String client) {
        return new DnsblChecker(ZONES, TestZones.policy(), executor).check(ip(client));
    }

    private static List<String> zones(DnsblVerdict v) {
        return v.listings().stream().map(l -> l.site().zone()).toList();
    }

    @Test
    void clientOnEveryBlocklistScoresTheSumOfTheWeights() {
        DnsblVerdict v = check("192.0.2.10");

        assertThat(v.score()).isEqualTo(3 + 2 + 2);
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(zones(v)).containsExactly("zen.bl.test", "barracuda.bl.test", "sem.bl.test");
        Listing zen = v.listings().get(0);
        assertThat(zen.query()).isEqualTo("10.2.0.192.zen.bl.test"); // RFC 5782 §2.1
        assertThat(zen.answers()).containsExactly(ip("127.0.0.2"));
        assertThat(v.failures()).isEmpty();
        assertThat(v.blockingZone()).contains("zen.bl.test");
    }

    @Test
    void scoreEqualToTheThresholdRejects() {
        DnsblVerdict v = check("192.0.2.11"); // zen only, 127.0.0.10: 3 against threshold 3

        assertThat(v.score()).isEqualTo(3);
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.listings().get(0).answers()).containsExactly(ip("127.0.0.10"));
    }

    @Test
    void scoreOneBelowTheThresholdPassesAndOneMoreListRejects() {
        DnsblVerdict below = check("192.0.2.30"); // sem only
        DnsblVerdict above = check("192.0.2.31"); // sem and barracuda

        assertThat(below.score()).isEqualTo(2);
        assertThat(below.decision()).isEqualTo(Decision.PASS);
        assertThat(zones(below)).containsExactly("sem.bl.test");
        assertThat(above.score()).isEqualTo(4);
        assertThat(above.decision()).isEqualTo(Decision.REJECT);
        assertThat(above.blockingZone()).contains("barracuda.bl.test");
    }

    @Test
    void allowlistWithNegativeWeightBringsTheScoreBelowTheThreshold() {
        // RFC 5782 §2.2: a DNSWL entry; postscreen gives allowlists a negative weight.
        DnsblVerdict v = check("192.0.2.40");

        assertThat(v.score()).isEqualTo(3 - 2);
        assertThat(v.decision()).isEqualTo(Decision.PASS);
        assertThat(zones(v)).containsExactly("zen.bl.test", "dnswl.wl.test");
        assertThat(v.listings().get(1).answers()).containsExactly(ip("127.0.10.2"));
        assertThat(v.blockingZone()).contains("zen.bl.test");
    }

    @Test
    void answerOutsideTheFilterIsNotAListing() {
        DnsblVerdict v = check("192.0.2.20"); // barracuda answers 127.0.0.12, filter is [2..11]

        assertThat(v.score()).isZero();
        assertThat(v.listings()).isEmpty();
        assertThat(v.failures()).isEmpty();
    }

    @Test
    void entryAddsItsWeightOnceHoweverManyAnswersMatch() {
        DnsblVerdict v = check("192.0.2.12"); // zen answers 127.0.0.4 and 127.0.0.11

        assertThat(v.score()).isEqualTo(3);
        assertThat(v.listings()).singleElement()
                .satisfies(l -> assertThat(l.answers()).containsExactlyInAnyOrder(ip("127.0.0.4"), ip("127.0.0.11")));
    }

    @Test
    void severalEntriesForOneZoneShareOneQueryAndScoreSeparately() {
        // RFC 5782 §2.3: one multi-valued list, its return codes weighted apart, as in Postfix configurations.
        RecordingResolver resolver = new RecordingResolver(ZONES);
        DnsblPolicy policy = DnsblPolicy.parse(
                "zen.bl.test=127.0.0.[4..7]*3, zen.bl.test=127.0.0.[10;11]*1, zen.bl.test=127.0.0.2*5", 3,
                Duration.ofSeconds(5));

        DnsblVerdict v = new DnsblChecker(resolver, policy, executor).check(ip("192.0.2.12"));

        assertThat(resolver.aQueries).containsExactly("12.2.0.192.zen.bl.test");
        assertThat(v.score()).isEqualTo(3 + 1);
        assertThat(v.listings()).extracting(l -> l.site().toString())
                .containsExactly("zen.bl.test=127.0.0.[4..7]*3", "zen.bl.test=127.0.0.[10;11]");
        assertThat(v.listings().get(0).answers()).containsExactly(ip("127.0.0.4"));
        assertThat(v.listings().get(1).answers()).containsExactly(ip("127.0.0.11"));
    }

    @Test
    void nxdomainAndNoDataAreNotListedAndNotFailures() {
        DnsblVerdict nowhere = check("203.0.113.5"); // NXDOMAIN on every list
        DnsblVerdict txtOnly = check("192.0.2.50"); // zen has the name, but no A record: no data

        for (DnsblVerdict v : List.of(nowhere, txtOnly)) {
            assertThat(v.score()).isZero();
            assertThat(v.decision()).isEqualTo(Decision.PASS);
            assertThat(v.listings()).isEmpty();
            assertThat(v.failures()).isEmpty();
        }
        assertThat(ZONES.a("50.2.0.192.zen.bl.test")).isInstanceOf(DnsResult.NoData.class);
    }

    @Test
    void rfc5782TestEntriesAreListedAndLoopbackIsNot() {
        // RFC 5782 §5: 127.0.0.2 must be listed, 127.0.0.1 must not.
        DnsblVerdict listed = check("127.0.0.2");
        DnsblVerdict unlisted = check("127.0.0.1");

        assertThat(zones(listed)).containsExactly("zen.bl.test", "barracuda.bl.test", "sem.bl.test", "dnswl.wl.test");
        assertThat(listed.score()).isEqualTo(3 + 2 + 2 - 2);
        assertThat(unlisted.listings()).isEmpty();
        assertThat(unlisted.decision()).isEqualTo(Decision.PASS);
    }

    @Test
    void ipv6ClientIsQueriedByReversedNibbles() {
        // RFC 5782 §2.4; the lists answer with A records, as for IPv4.
        DnsblVerdict listed = check("2001:db8::25");
        DnsblVerdict unlisted = check("2001:db8::26");

        assertThat(listed.listings()).singleElement().satisfies(l -> {
            assertThat(l.query()).isEqualTo(
                    "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.bl.test");
            assertThat(l.answers()).containsExactly(ip("127.0.0.2"));
        });
        assertThat(listed.decision()).isEqualTo(Decision.REJECT);
        assertThat(unlisted.decision()).isEqualTo(Decision.PASS);
        assertThat(unlisted.failures()).isEmpty();
    }

    @Test
    void ipv4MappedClientIsQueriedAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 10};
        DnsblVerdict v = new DnsblChecker(ZONES, TestZones.policy(), executor)
                .check(Inet6Address.getByAddress(null, mapped, -1));

        assertThat(v.client()).isEqualTo(ip("192.0.2.10"));
        assertThat(v.listings().get(0).query()).isEqualTo("10.2.0.192.zen.bl.test");
        assertThat(v.score()).isEqualTo(7);
    }

    @Test
    void answersOutside127Slash8AreNotListingsUnlessAFilterAsksForThem() {
        // RFC 5782 §2.1: listings answer 127.0.0.2 and the like; a lapsed list's wildcard answers
        // a real address for every name, which must not block every client.
        DnsblPolicy unfiltered = DnsblPolicy.parse("lapsed.bl.test*5", 1, Duration.ofSeconds(5));
        DnsblPolicy filtered = DnsblPolicy.parse("lapsed.bl.test=198.51.100.7*5", 1, Duration.ofSeconds(5));

        DnsblVerdict ignored = new DnsblChecker(ZONES, unfiltered, executor).check(ip("192.0.2.10"));
        DnsblVerdict explicit = new DnsblChecker(ZONES, filtered, executor).check(ip("192.0.2.10"));

        assertThat(ZONES.a("10.2.0.192.lapsed.bl.test").isVoid()).isFalse();
        assertThat(ignored.listings()).isEmpty();
        assertThat(ignored.decision()).isEqualTo(Decision.PASS);
        assertThat(explicit.decision()).isEqualTo(Decision.REJECT);
    }

    @Test
    void timeoutOnOneListCountsAsNotListedAndIsReported() {
        ZoneFileResolver resolver = ZONES.withFailure("10.2.0.192.sem.bl.test", Kind.TIMEOUT);

        DnsblVerdict v = new DnsblChecker(resolver, TestZones.policy(), executor).check(ip("192.0.2.10"));

        assertThat(v.score()).isEqualTo(3 + 2);
        assertThat(v.decision()).isEqualTo(Decision.REJECT); // the lists that answered suffice
        assertThat(zones(v)).containsExactly("zen.bl.test", "barracuda.bl.test");
        assertThat(v.failures()).singleElement().satisfies(f -> {
            assertThat(f.zone()).isEqualTo("sem.bl.test");
            assertThat(f.query()).isEqualTo("10.2.0.192.sem.bl.test");
            assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
        });
    }

    @Test
    void dnsFailureNeverRejects() {
        ZoneFileResolver semTimesOut = ZONES.withFailure("30.2.0.192.sem.bl.test", Kind.TIMEOUT);
        ZoneFileResolver allServfail = ZONES;
        for (String zone : TestZones.policy().zones()) {
            allServfail = allServfail.withFailure("10.2.0.192." + zone, Kind.SERVFAIL);
        }

        DnsblVerdict one = new DnsblChecker(semTimesOut, TestZones.policy(), executor).check(ip("192.0.2.30"));
        DnsblVerdict all = new DnsblChecker(allServfail, TestZones.policy(), executor).check(ip("192.0.2.10"));

        assertThat(one.score()).isZero();
        assertThat(one.decision()).isEqualTo(Decision.PASS);
        assertThat(one.failures()).extracting(LookupFailure::kind).containsExactly(Kind.TIMEOUT);
        assertThat(all.decision()).isEqualTo(Decision.PASS);
        assertThat(all.failures()).extracting(LookupFailure::zone)
                .containsExactly("zen.bl.test", "barracuda.bl.test", "sem.bl.test", "dnswl.wl.test");
        assertThat(all.failures()).extracting(LookupFailure::kind).containsOnly(Kind.SERVFAIL);
    }

    @Test
    void failingAllowlistLeavesTheBlocklistScoreStanding() {
        // As in postscreen: the allowlist's weight only applies when it answers.
        ZoneFileResolver resolver = ZONES.withFailure("40.2.0.192.dnswl.wl.test", Kind.SERVFAIL);

        DnsblVerdict v = new DnsblChecker(resolver, TestZones.policy(), executor).check(ip("192.0.2.40"));

        assertThat(v.score()).isEqualTo(3);
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.failures()).extracting(LookupFailure::zone).containsExactly("dnswl.wl.test");
    }

    @Test
    void listThatDoesNotAnswerByTheDeadlineIsAReportedTimeout() {
        RecordingResolver resolver = new RecordingResolver(ZONES, Set.of("10.2.0.192.sem.bl.test"), Set.of());
        DnsblPolicy policy = DnsblPolicy.parse(TestZones.SITES, 3, Duration.ofMillis(150));
        try {
            long start = System.nanoTime();
            DnsblVerdict v = new DnsblChecker(resolver, policy, executor).check(ip("192.0.2.10"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofSeconds(2));
            assertThat(v.score()).isEqualTo(3 + 2);
            assertThat(v.failures()).singleElement().satisfies(f -> {
                assertThat(f.zone()).isEqualTo("sem.bl.test");
                assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(f.detail()).contains("deadline");
            });
        } finally {
            resolver.release.countDown();
        }
    }

    @Test
    void resolverThatThrowsCountsAsAFailure() {
        RecordingResolver resolver = new RecordingResolver(ZONES, Set.of(), Set.of("10.2.0.192.zen.bl.test"));

        DnsblVerdict v = new DnsblChecker(resolver, TestZones.policy(), executor).check(ip("192.0.2.10"));

        assertThat(v.score()).isEqualTo(2 + 2);
        assertThat(v.failures()).singleElement().satisfies(f -> {
            assertThat(f.zone()).isEqualTo("zen.bl.test");
            assertThat(f.kind()).isEqualTo(Kind.OTHER);
        });
    }

    @Test
    void executorThatRefusesWorkMeansFailuresNotAnException() {
        DnsblChecker checker = new DnsblChecker(ZONES, TestZones.policy(), task -> {
            throw new RejectedExecutionException("pool is shut down");
        });

        DnsblVerdict v = checker.check(ip("192.0.2.10"));

        assertThat(v.decision()).isEqualTo(Decision.PASS);
        assertThat(v.failures()).hasSize(4).extracting(LookupFailure::kind).containsOnly(Kind.OTHER);
    }

    @Test
    void directExecutorGivesTheSameVerdictSequentially() {
        DnsblVerdict parallel = check("192.0.2.10");
        DnsblVerdict sequential = new DnsblChecker(ZONES, TestZones.policy(), Runnable::run).check(ip("192.0.2.10"));

        assertThat(sequential).isEqualTo(parallel);
    }

    @Test
    void disabledPolicyPassesWithoutAQuery() {
        RecordingResolver resolver = new RecordingResolver(ZONES);

        DnsblVerdict v = new DnsblChecker(resolver, DnsblPolicy.DISABLED, executor).check(ip("192.0.2.10"));

        assertThat(v.decision()).isEqualTo(Decision.PASS);
        assertThat(v.score()).isZero();
        assertThat(resolver.aQueries).isEmpty();
    }
}
