package io.postbus.delivery.route;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5321 §5.1 MX selection, RFC 7505 null MX, and the three kinds of DNS non-answer. */
class MxResolverTest {

    private final MapDnsResolver dns = new MapDnsResolver();

    private MxResult resolve(String domain) {
        return new MxResolver(dns, new SplittableRandom(1)).resolve(domain);
    }

    @Test
    void hostsAreOrderedByPreference() {
        dns.mx("example.com", 20, "mx2.example.com").mx("example.com", 10, "mx1.example.com")
                .mx("example.com", 30, "mx3.example.net")
                .a("mx1.example.com", "192.0.2.1").a("mx2.example.com", "192.0.2.2").a("mx3.example.net", "192.0.2.3");

        MxResult.Hosts hosts = (MxResult.Hosts) resolve("Example.COM");

        assertThat(hosts.implicitMx()).isFalse();
        assertThat(hosts.hosts()).extracting(MxHost::name)
                .containsExactly("mx1.example.com", "mx2.example.com", "mx3.example.net");
        assertThat(hosts.hosts()).extracting(MxHost::preference).containsExactly(10, 20, 30);
        assertThat(hosts.hosts().get(0).socketAddresses()).singleElement()
                .satisfies(a -> assertThat(a.getPort()).isEqualTo(25));
    }

    @Test
    void equalPreferencesAreShuffledWithTheInjectedRandom() {
        dns.mx("example.com", 10, "a.example.com").mx("example.com", 10, "b.example.com")
                .mx("example.com", 10, "c.example.com").mx("example.com", 5, "first.example.com")
                .mx("example.com", 50, "last.example.com");
        for (String h : List.of("a", "b", "c", "first", "last")) {
            dns.a(h + ".example.com", "192.0.2.9");
        }
        Map<List<String>, Integer> seen = new HashMap<>();
        for (int seed = 0; seed < 600; seed++) {
            MxResolver resolver = new MxResolver(dns, new SplittableRandom(seed));
            MxResult.Hosts hosts = (MxResult.Hosts) resolver.resolve("example.com");
            List<String> names = hosts.hosts().stream().map(MxHost::name).toList();
            assertThat(names.get(0)).isEqualTo("first.example.com"); // shuffling stays within a preference
            assertThat(names.get(4)).isEqualTo("last.example.com");
            seen.merge(names.subList(1, 4), 1, Integer::sum);
        }
        assertThat(seen).hasSize(6); // every order of the three equal hosts
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isGreaterThan(50));
    }

    @Test
    void sameRandomSameOrder() {
        dns.mx("example.com", 10, "a.example.com").mx("example.com", 10, "b.example.com");
        dns.a("a.example.com", "192.0.2.1").a("b.example.com", "192.0.2.2");
        RandomGenerator alwaysFirst = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public int nextInt(int bound) {
                return 0;
            }
        };
        MxResult.Hosts hosts = (MxResult.Hosts) new MxResolver(dns, alwaysFirst).resolve("example.com");
        assertThat(hosts.hosts()).extracting(MxHost::name).containsExactly("b.example.com", "a.example.com");
    }

    @Test
    void noMxRecordsMeansTheDomainIsItsOwnImplicitMx() {
        dns.a("example.org", "192.0.2.7").aaaa("example.org", "2001:db8::7");
        MxResult.Hosts hosts = (MxResult.Hosts) resolve("example.org");
        assertThat(hosts.implicitMx()).isTrue();
        assertThat(hosts.hosts()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("example.org");
            assertThat(h.preference()).isZero();
            assertThat(h.addresses()).extracting(InetAddress::getHostAddress)
                    .containsExactly("192.0.2.7", "2001:db8:0:0:0:0:0:7"); // IPv4 first
        });
    }

    @Test
    void nullMxIsAPermanent556() {
        dns.mx("nomail.example", 0, ".").a("nomail.example", "192.0.2.1");
        MxResult.Failed failed = (MxResult.Failed) resolve("nomail.example");
        assertThat(failed.failure()).isEqualTo(RouteFailure.NULL_MX);
        assertThat(failed.failure().isPermanent()).isTrue();
        assertThat(failed.asReply().code()).isEqualTo(556);
        assertThat(failed.asReply().enhancedStatus()).map(Object::toString).contains("5.1.10");
        assertThat(dns.queries).containsExactly("MX nomail.example"); // no fallback to the A record
    }

    @Test
    void nxdomainIsAPermanentBadDestination() {
        MxResult.Failed failed = (MxResult.Failed) resolve("no-such-domain.example");
        assertThat(failed.failure()).isEqualTo(RouteFailure.NO_SUCH_DOMAIN);
        assertThat(failed.asReply().toString()).startsWith("550 5.1.2 ");
    }

    @Test
    void dnsFailureIsTransient() {
        dns.failing("flaky.example");
        MxResult.Failed failed = (MxResult.Failed) resolve("flaky.example");
        assertThat(failed.failure()).isEqualTo(RouteFailure.DNS_FAILURE);
        assertThat(failed.failure().isTransient()).isTrue();
        assertThat(failed.asReply().toString()).startsWith("451 4.4.3 ").contains("SERVFAIL");
    }

    @Test
    void hostsWithoutAddressesAreSkippedWhileAnotherHasSome() {
        dns.mx("example.com", 10, "gone.example.com").mx("example.com", 20, "flaky.example.com")
                .mx("example.com", 30, "ok.example.com").failing("flaky.example.com")
                .aaaa("ok.example.com", "2001:db8::25");
        MxResult.Hosts hosts = (MxResult.Hosts) resolve("example.com");
        assertThat(hosts.hosts()).extracting(MxHost::name).containsExactly("ok.example.com");
    }

    @Test
    void noMxHostWithAnAddressIsPermanent() {
        dns.mx("example.com", 10, "gone1.example.com").mx("example.com", 20, "gone2.example.com")
                .exists("gone2.example.com");
        MxResult.Failed failed = (MxResult.Failed) resolve("example.com");
        assertThat(failed.failure()).isEqualTo(RouteFailure.NO_ADDRESS);
        assertThat(failed.asReply().toString()).startsWith("550 5.4.4 No MX host for example.com");
    }

    @Test
    void aDnsFailureAmongAddresslessHostsMakesItTransient() {
        dns.mx("example.com", 10, "gone.example.com").mx("example.com", 20, "flaky.example.com")
                .failing("flaky.example.com");
        MxResult.Failed failed = (MxResult.Failed) resolve("example.com");
        assertThat(failed.failure()).isEqualTo(RouteFailure.DNS_FAILURE);
    }

    @Test
    void implicitMxWithoutAddressIsPermanent() {
        dns.exists("txt-only.example");
        MxResult.Failed failed = (MxResult.Failed) resolve("txt-only.example");
        assertThat(failed.failure()).isEqualTo(RouteFailure.NO_ADDRESS);
        assertThat(failed.detail()).isEqualTo("Host txt-only.example has no address record (A or AAAA)");
    }

    @Test
    void theSameHostListedTwiceKeepsItsBestPreference() {
        dns.mx("example.com", 20, "mx.example.com").mx("example.com", 10, "MX.example.com.")
                .a("mx.example.com", "192.0.2.1");
        MxResult.Hosts hosts = (MxResult.Hosts) resolve("example.com");
        assertThat(hosts.hosts()).singleElement().extracting(MxHost::preference).isEqualTo(10);
    }

    @Test
    void bracketedHostSkipsTheMxLookup() {
        dns.mx("relay.example.net", 10, "elsewhere.example.net").a("relay.example.net", "192.0.2.50");
        MxResult.Hosts hosts = (MxResult.Hosts) new MxResolver(dns, new SplittableRandom(1))
                .resolve(NextHop.parse("[relay.example.net]:587"));
        assertThat(hosts.hosts()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("relay.example.net");
            assertThat(h.port()).isEqualTo(587);
        });
        assertThat(dns.queries).noneMatch(q -> q.startsWith("MX"));
    }

    @Test
    void mxLookupOnAnotherPort() {
        dns.mx("relay.example.net", 10, "mx.example.net").a("mx.example.net", "192.0.2.51");
        MxResult.Hosts hosts = (MxResult.Hosts) new MxResolver(dns, new SplittableRandom(1))
                .resolve(NextHop.parse("relay.example.net:2525"));
        assertThat(hosts.hosts().get(0).socketAddresses().get(0).getPort()).isEqualTo(2525);
    }

    @Test
    void addressLiteralsNeedNoDns() {
        MxResult.Hosts hosts = (MxResult.Hosts) resolve("[192.0.2.99]");
        assertThat(hosts.hosts()).singleElement().satisfies(h ->
                assertThat(h.addresses()).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.99"));
        MxResult.Hosts v6 = (MxResult.Hosts) resolve("[IPv6:2001:db8::99]");
        assertThat(v6.hosts().get(0).addresses()).hasSize(1);
        assertThat(dns.queries).isEmpty();
    }
}
