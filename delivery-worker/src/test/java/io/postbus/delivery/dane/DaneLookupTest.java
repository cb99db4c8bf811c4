package io.postbus.delivery.dane;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7672 §2.2: what DNSSEC allows for each MX host, from zone files declared signed or not. */
class DaneLookupTest {
    static final String TLSA_3_1_1 = "3 1 1 8CB0FC6C527506A053F4F14C8464BEBBD6DEDE2738D11468DD953D7D6A3021F1";

    static ZoneFileResolver zones() {
        return ZoneFileResolver.fromString("example.test", """
                        $TTL 300
                        @                SOA ns hostmaster 1 1 1 1 1
                        @                MX  10 mx1
                        @                MX  20 mx2
                        @                MX  30 mx.unsigned.test.
                        mx1              A   192.0.2.1
                        mx2              A   192.0.2.2
                        mx3              A   192.0.2.3
                        _25._tcp.mx1     TLSA %s
                        _25._tcp.mx2     TLSA 1 1 1 8CB0FC6C527506A053F4F14C8464BEBBD6DEDE2738D11468DD953D7D6A3021F1
                        """.formatted(TLSA_3_1_1))
                .withZone("unsigned.test", """
                        $TTL 300
                        @                SOA ns hostmaster 1 1 1 1 1
                        @                MX  10 mx
                        mx               A   192.0.2.9
                        _25._tcp.mx      TLSA %s
                        """.formatted(TLSA_3_1_1));
    }

    private static final List<String> REFS = List.of("mx1.example.test", "example.test");

    @Test
    void rfc7672Section221MxSecurityIsTheMxAnswersAuthenticatedFlag() {
        assertThat(new DaneLookup(zones().withSignedZones("example.test")).mxSecure("example.test")).isTrue();
        assertThat(new DaneLookup(zones()).mxSecure("example.test")).isFalse();
        assertThat(new DaneLookup(zones().withSignedZones("example.test")).mxSecure("nope.example.test"))
                .as("NXDOMAIN is not a secure MX RRset").isFalse();
    }

    @Test
    void secureUsableTlsaAuthenticates() {
        HostDane d = new DaneLookup(zones().withSignedZones("example.test")).host("mx1.example.test", 25, true, REFS);
        assertThat(d).isInstanceOfSatisfying(HostDane.Authenticate.class, a -> {
            assertThat(a.trust().tlsaName()).isEqualTo("_25._tcp.mx1.example.test");
            assertThat(a.trust().records()).hasSize(1);
            assertThat(a.trust().referenceNames()).containsExactly("mx1.example.test", "example.test");
        });
    }

    @Test
    void rfc7672Section22SecureButUnusableTlsa() {
        assertThat(new DaneLookup(zones().withSignedZones("example.test")).host("mx2.example.test", 25, true, REFS))
                .isInstanceOf(HostDane.Unusable.class);
    }

    @Test
    void theTlsaNameCarriesThePort() {
        assertThat(new DaneLookup(zones().withSignedZones("example.test")).host("mx1.example.test", 2525, true, REFS))
                .isEqualTo(new HostDane.NotApplicable("no TLSA records at _2525._tcp.mx1.example.test"));
    }

    @Test
    void insecureMxOrAddressesOrTlsaMeanNoDane() {
        ZoneFileResolver signed = zones().withSignedZones("example.test");
        assertThat(new DaneLookup(signed).host("mx1.example.test", 25, false, REFS))
                .isInstanceOf(HostDane.NotApplicable.class);
        assertThat(new DaneLookup(signed).host("mx.unsigned.test", 25, true, REFS))
                .isEqualTo(new HostDane.NotApplicable("address records of mx.unsigned.test not DNSSEC-validated"));
        assertThat(new DaneLookup(zones()).host("mx1.example.test", 25, true, REFS))
                .as("nothing validated").isInstanceOf(HostDane.NotApplicable.class);
        assertThat(new DaneLookup(signed).host("mx3.example.test", 25, true, REFS))
                .isEqualTo(new HostDane.NotApplicable("no TLSA records at _25._tcp.mx3.example.test"));
    }

    @Test
    void rfc7672Section22ATlsaLookupFailureForASecureHostIsAFailure() {
        ZoneFileResolver r = zones().withSignedZones("example.test").withFailure("_25._tcp.mx1.example.test", Kind.SERVFAIL);
        assertThat(new DaneLookup(r).host("mx1.example.test", 25, true, REFS))
                .isInstanceOfSatisfying(HostDane.LookupFailed.class, f -> assertThat(f.detail()).contains("SERVFAIL"));
    }
}
