package io.postbus.delivery.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.dane.DaneLookup;
import io.postbus.delivery.mtasts.StsDecision;
import io.postbus.delivery.mtasts.StsPolicy;
import io.postbus.delivery.smtp.TlsPolicy;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Postfix's dane and dane-only levels resolved per MX host (RFC 7672 §2.2). */
class DestinationTlsDaneTest {
    private static final String HASH = "8CB0FC6C527506A053F4F14C8464BEBBD6DEDE2738D11468DD953D7D6A3021F1";

    private static ZoneFileResolver zones() {
        return ZoneFileResolver.fromString("example.test", """
                $TTL 300
                @                SOA ns hostmaster 1 1 1 1 1
                @                MX  10 mx1
                mx1              A   192.0.2.1
                mx2              A   192.0.2.2
                mx3              A   192.0.2.3
                _25._tcp.mx1     TLSA 3 1 1 %1$s
                _25._tcp.mx2     TLSA 0 0 1 %1$s
                """.formatted(HASH));
    }

    private static final NextHop HOP = NextHop.forDomain("example.test");

    private static MxHost host(String name) throws Exception {
        return new MxHost(name, 10, List.of(InetAddress.getByName("192.0.2.1")), 25);
    }

    private static HostTls decide(ZoneFileResolver dns, TlsPolicy level, String host) throws Exception {
        DestinationTls tls = DestinationTls.fixed(level, new DaneLookup(dns));
        return tls.forHost((TlsPlan.Use) tls.plan(HOP), HOP, host(host));
    }

    @Test
    void rfc7672Section22SecureUsableTlsaMakesAuthenticatedTlsMandatory() throws Exception {
        HostTls t = decide(zones().withSignedZones("example.test"), TlsPolicy.DANE, "mx1.example.test");
        assertThat(t).isInstanceOfSatisfying(HostTls.Connect.class, c -> {
            assertThat(c.level()).isEqualTo(TlsPolicy.VERIFY);
            assertThat(c.dane()).hasValueSatisfying(d -> assertThat(d.referenceNames())
                    .containsExactly("mx1.example.test", "example.test"));
            assertThat(c.cacheLevel()).isEqualTo(TlsPolicy.DANE);
            assertThat(c.note()).isEqualTo("DANE TLSA _25._tcp.mx1.example.test (1 usable)");
        });
    }

    @Test
    void rfc7672Section22SecureButUnusableTlsaIsMandatoryUnauthenticatedTls() throws Exception {
        ZoneFileResolver signed = zones().withSignedZones("example.test");
        assertThat(decide(signed, TlsPolicy.DANE, "mx2.example.test")).isInstanceOfSatisfying(HostTls.Connect.class,
                c -> assertThat(c.level()).isEqualTo(TlsPolicy.ENCRYPT));
        assertThat(decide(signed, TlsPolicy.DANE_ONLY, "mx2.example.test")).isInstanceOf(HostTls.Skip.class);
    }

    @Test
    void insecureOrNoTlsaFallsBackToMayAtDaneAndIsSkippedAtDaneOnly() throws Exception {
        assertThat(decide(zones(), TlsPolicy.DANE, "mx1.example.test")).isEqualTo(new HostTls.Connect(TlsPolicy.MAY,
                Optional.empty(), "DANE: MX RRset not DNSSEC-validated, may"));
        assertThat(decide(zones().withSignedZones("example.test"), TlsPolicy.DANE, "mx3.example.test"))
                .isInstanceOfSatisfying(HostTls.Connect.class, c -> assertThat(c.level()).isEqualTo(TlsPolicy.MAY));
        assertThat(decide(zones(), TlsPolicy.DANE_ONLY, "mx1.example.test")).isInstanceOfSatisfying(HostTls.Skip.class,
                s -> assertThat(s.detail()).contains("dane-only").contains("not DNSSEC-validated"));
    }

    @Test
    void rfc7672Section22TlsaLookupFailureOnASecureHostSkipsIt() throws Exception {
        ZoneFileResolver r = zones().withSignedZones("example.test").withFailure("_25._tcp.mx1.example.test", Kind.SERVFAIL);
        assertThat(decide(r, TlsPolicy.DANE, "mx1.example.test")).isInstanceOfSatisfying(HostTls.Skip.class,
                s -> assertThat(s.detail()).contains("SERVFAIL"));
    }

    @Test
    void aHostWithoutMxLookupIsTrustedByNameWhenItsAddressesValidate() throws Exception {
        NextHop direct = NextHop.parse("[mx1.example.test]");
        DestinationTls tls = DestinationTls.fixed(TlsPolicy.DANE, new DaneLookup(zones().withSignedZones("example.test")));
        HostTls t = tls.forHost((TlsPlan.Use) tls.plan(direct), direct, host("mx1.example.test"));
        assertThat(t).isInstanceOfSatisfying(HostTls.Connect.class, c -> assertThat(c.dane()).hasValueSatisfying(
                d -> assertThat(d.referenceNames()).as("no MX: no next-hop domain").containsExactly("mx1.example.test")));
    }

    @Test
    void rfc8461Section2DanePrecedesMtaStsWhichStillGovernsHostsWithoutTlsa() throws Exception {
        StsPolicy enforce = ((StsPolicy.Parsed.Valid) StsPolicy.parse(
                "version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 86400\n")).policy();
        TlsPlan.Use use = new TlsPlan.Use(TlsPolicy.DANE, "MTA-STS enforce", Optional.of(
                new StsDecision.Applies(enforce, "1", StsDecision.Origin.FETCHED, "fetched policy id 1")));
        DestinationTls tls = DestinationTls.fixed(TlsPolicy.DANE, new DaneLookup(zones().withSignedZones("example.test")));
        assertThat(tls.forHost(use, HOP, host("mx1.example.test"))).isInstanceOfSatisfying(HostTls.Connect.class,
                c -> assertThat(c.dane()).isPresent());
        assertThat(tls.forHost(use, HOP, host("mx3.example.test"))).isInstanceOfSatisfying(HostTls.Connect.class,
                c -> assertThat(c.level()).as("no TLSA: MTA-STS enforce's verify").isEqualTo(TlsPolicy.VERIFY));
    }

    @Test
    void otherLevelsApplyToEveryHostUnchanged() throws Exception {
        assertThat(decide(zones().withSignedZones("example.test"), TlsPolicy.ENCRYPT, "mx1.example.test"))
                .isEqualTo(new HostTls.Connect(TlsPolicy.ENCRYPT, Optional.empty(), ""));
    }
}
