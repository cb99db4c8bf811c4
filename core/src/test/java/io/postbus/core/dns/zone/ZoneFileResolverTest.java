package io.postbus.core.dns.zone;

import static io.postbus.core.dns.DnsResolverContract.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResolverContract;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.MxRecord;
import io.postbus.core.dns.TestZones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneFileResolverTest implements DnsResolverContract {
    private static final ZoneFileResolver ZONES = TestZones.resolver();

    @Override
    public DnsResolver resolver() {
        return ZONES;
    }

    @Test
    void delegationToAZoneNotLoadedIsTreatedAsOutOfZone() {
        assertThat(ZONES.a("www.child.example.com")).isEqualTo(new DnsResult.NxDomain<>("www.child.example.com"));
        assertThat(ZONES.withOutOfZone(ZoneFileResolver.OutOfZone.SERVFAIL).a("www.child.example.com"))
                .isInstanceOfSatisfying(DnsResult.Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.SERVFAIL));
    }

    @Test
    void outOfZonePolicyIsConfigurable() {
        assertThat(ZONES.withOutOfZone(ZoneFileResolver.OutOfZone.TIMEOUT).txt("example.invalid"))
                .isInstanceOfSatisfying(DnsResult.Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.TIMEOUT));
        assertThat(ZONES.withOutOfZone(ZoneFileResolver.OutOfZone.REFUSED).txt("example.invalid"))
                .isInstanceOfSatisfying(DnsResult.Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.REFUSED));
        // names inside the zones are unaffected
        assertThat(ZONES.withOutOfZone(ZoneFileResolver.OutOfZone.TIMEOUT).txt("nope.example.com").isVoid()).isTrue();
    }

    @Test
    void aliasLeavingTheZonesFollowsThePolicy() {
        ZoneFileResolver r = ZoneFileResolver.fromString("example.com", "out CNAME elsewhere.invalid.");
        assertThat(r.a("out.example.com")).isEqualTo(new DnsResult.NxDomain<>("out.example.com"));
        assertThat(r.withOutOfZone(ZoneFileResolver.OutOfZone.TIMEOUT).a("out.example.com"))
                .isInstanceOfSatisfying(DnsResult.Failure.class, f -> assertThat(f.kind()).isEqualTo(Kind.TIMEOUT));
    }

    @Test
    void injectedFailureAppliesToEveryTypeOfThatNameOnly() {
        ZoneFileResolver r = ZONES.withFailure("mx1.example.com", Kind.TIMEOUT);
        assertThat(r.a("mx1.example.com").isFailure()).isTrue();
        assertThat(r.aaaa("mx1.example.com").isFailure()).isTrue();
        assertThat(r.a("mx2.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.26"))));
        assertThat(ZONES.a("mx1.example.com").isFailure()).as("the original is unchanged").isFalse();
    }

    @Test
    void fromStringWithoutSoaUsesTheGivenOrigin() {
        ZoneFileResolver r = ZoneFileResolver.fromString("example.test", """
                @      MX  10 mail
                mail   A   192.0.2.1
                """);
        assertThat(r.mx("example.test")).isEqualTo(DnsResult.answer(List.of(new MxRecord(10, "mail.example.test"))));
        assertThat(r.a("nope.example.test")).isEqualTo(new DnsResult.NxDomain<>("nope.example.test"));
        assertThat(r.a("example.test")).isEqualTo(new DnsResult.NoData<>("example.test"));
    }

    @Test
    void originFromTheFileNameWhenThereIsNoOriginDirective() {
        // example.net.zone has neither SOA nor $ORIGIN
        assertThat(ZONES.a("target.example.net")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.100"))));
        assertThat(ZONES.a("example.net")).isEqualTo(new DnsResult.NoData<>("example.net"));
    }

    @Test
    void originDirectiveWinsOverTheFileName(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("whatever.zone"), """
                $ORIGIN example.test.
                www  A  192.0.2.8
                """);
        ZoneFileResolver r = ZoneFileResolver.fromFiles(file);
        assertThat(r.a("www.example.test")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.8"))));
        assertThat(r.a("other.example.test")).isEqualTo(new DnsResult.NxDomain<>("other.example.test"));
    }

    @Test
    void withZoneAddsOrMergesZones() {
        ZoneFileResolver r = ZONES
                .withZone("example.test", "www A 192.0.2.9")
                .withZone("example.com", "extra A 192.0.2.10");
        assertThat(r.a("www.example.test")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.9"))));
        assertThat(r.a("extra.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.10"))));
        assertThat(r.a("mx1.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.25"))));
        assertThat(r.a("servfail.example.com").isFailure()).as("failures carried over").isTrue();
    }

    @Test
    void aChildZoneAnswersForItsNamesInsteadOfTheParentsDelegation() {
        ZoneFileResolver r = ZONES.withZone("child.example.com", "www A 192.0.2.11");
        assertThat(r.a("www.child.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.11"))));
    }

    @Test
    void syntaxErrorsNameTheSourceAndLine() {
        assertThatThrownBy(() -> ZoneFileResolver.fromString("example.test", "ok A 192.0.2.1\nbad A 300.1.2.3\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example.test")
                .hasMessageContaining("2");
    }

    @Test
    void recordsOutsideTheZoneAreRejected() {
        assertThatThrownBy(() -> ZoneFileResolver.fromString("example.test", "www.example.org. A 192.0.2.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("www.example.org");
    }

    @Test
    void directoryWithoutZoneFilesIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> ZoneFileResolver.fromDirectory(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no *.zone files");
    }

    /** The answers RFC 4592 §2.2.1 gives for its own example zone. */
    @Nested
    class Rfc4592Example {
        private final ZoneFileResolver r = ZoneFileResolver.fromFiles(TestZones.path("dns/rfc4592-example.zone"));

        @Test
        void host3MxIsSynthesizedFromTheWildcard() {
            assertThat(r.mx("host3.example")).isEqualTo(DnsResult.answer(List.of(new MxRecord(10, "host1.example"))));
        }

        @Test
        void host3AIsNoDataFromTheWildcard() {
            assertThat(r.a("host3.example")).isEqualTo(new DnsResult.NoData<>("host3.example"));
        }

        @Test
        void fooBarTxtIsSynthesized() {
            assertThat(r.txt("foo.bar.example")).isEqualTo(DnsResult.answer(List.of("this is a wildcard")));
        }

        @Test
        void host1MxIsNoDataBecauseHost1Exists() {
            assertThat(r.mx("host1.example")).isEqualTo(new DnsResult.NoData<>("host1.example"));
        }

        @Test
        void subStarMxIsNoData() {
            assertThat(r.mx("sub.*.example")).isEqualTo(new DnsResult.NoData<>("sub.*.example"));
        }

        @Test
        void telnetUnderAnExistingTcpIsNxDomain() {
            assertThat(r.txt("_telnet._tcp.host1.example")).isEqualTo(new DnsResult.NxDomain<>("_telnet._tcp.host1.example"));
        }

        @Test
        void emptyNonTerminalTcpIsNoDataNotTheWildcard() {
            assertThat(r.txt("_tcp.host1.example")).isEqualTo(new DnsResult.NoData<>("_tcp.host1.example"));
        }

        @Test
        void belowTheDelegationIsNotAnsweredFromThisZone() {
            assertThat(r.a("host.subdel.example")).isEqualTo(new DnsResult.NxDomain<>("host.subdel.example"));
        }

        @Test
        void ghostUnderTheWildcardOwnerIsNxDomain() {
            assertThat(r.mx("ghost.*.example")).isEqualTo(new DnsResult.NxDomain<>("ghost.*.example"));
        }
    }
}
