package io.postbus.core.dns.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import io.postbus.core.dns.TlsaRecord;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The authenticated flag for zones declared signed, and TLSA records (RFC 6698 §2.2) from zone text. */
class ZoneFileResolverDnssecTest {

    static final String SIGNED = """
            $TTL 300
            @                  SOA ns hostmaster 1 1 1 1 1
            @                  MX  10 mx
            mx                 A   192.0.2.25
            _25._tcp.mx        TLSA 3 1 1 8CB0FC6C527506A053F4F14C8464BEBBD6DEDE2738D11468DD953D7D6A3021F1
            _25._tcp.mx        TLSA 2 0 2 ( 0A0B0C0D0E0F )
            alias              CNAME mx.unsigned.test.
            """;
    static final String UNSIGNED = """
            $TTL 300
            @                  SOA ns hostmaster 1 1 1 1 1
            @                  MX  10 mx
            mx                 A   192.0.2.26
            """;

    private static ZoneFileResolver zones() {
        return ZoneFileResolver.fromString("signed.test", SIGNED).withZone("unsigned.test", UNSIGNED);
    }

    @Test
    void rfc6698Section22TlsaRecordsParseFromZoneText() {
        assertThat(zones().tlsa("_25._tcp.mx.signed.test")).isInstanceOfSatisfying(DnsResult.Answer.class,
                a -> assertThat(a.value()).asList().containsExactlyInAnyOrder(
                        new TlsaRecord(3, 1, 1, HexFormat.of().parseHex(
                                "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1")),
                        new TlsaRecord(2, 0, 2, HexFormat.of().parseHex("0a0b0c0d0e0f"))));
        assertThat(zones().tlsa("_25._tcp.nope.signed.test")).isEqualTo(new DnsResult.NxDomain<>("_25._tcp.nope.signed.test"));
    }

    @Test
    void withoutDeclaredSignedZonesNothingIsAuthenticated() {
        assertThat(zones().mx("signed.test").isAuthenticated()).isFalse();
        assertThat(zones().tlsa("_25._tcp.mx.signed.test").isAuthenticated()).isFalse();
    }

    @Test
    void rfc4035Section323AnswersFromASignedZoneAreAuthenticated() {
        ZoneFileResolver r = zones().withSignedZones("signed.test");
        assertThat(r.mx("signed.test")).isEqualTo(DnsResult.authenticatedAnswer(List.of(new MxRecord(10, "mx.signed.test"))));
        assertThat(r.tlsa("_25._tcp.mx.signed.test").isAuthenticated()).isTrue();
        assertThat(r.a("mx.unsigned.test").isAuthenticated()).isFalse();
        assertThat(r.mx("unsigned.test")).isEqualTo(DnsResult.answer(List.of(new MxRecord(10, "mx.unsigned.test"))));
    }

    @Test
    void anAliasIntoAnUnsignedZoneIsNotAuthenticated() {
        ZoneFileResolver r = zones().withSignedZones("signed.test");
        DnsResult<?> a = r.a("alias.signed.test");
        assertThat(a).isInstanceOf(DnsResult.Answer.class);
        assertThat(a.isAuthenticated()).as("one insecure link makes the chain insecure").isFalse();
        assertThat(zones().withSignedZones("signed.test", "unsigned.test").a("alias.signed.test").isAuthenticated())
                .isTrue();
    }

    @Test
    void mapKeepsTheAuthenticatedFlag() {
        DnsResult<Integer> size = zones().withSignedZones("signed.test").mx("signed.test").map(List::size);
        assertThat(size).isEqualTo(DnsResult.authenticatedAnswer(1));
    }

    @Test
    void aSignedZoneMustBeLoaded() {
        assertThatThrownBy(() -> zones().withSignedZones("typo.test")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typo.test");
    }

    @Test
    void theSignedSetSurvivesAddingZones() {
        ZoneFileResolver r = ZoneFileResolver.fromString("signed.test", SIGNED).withSignedZones("signed.test")
                .withZone("unsigned.test", UNSIGNED);
        assertThat(r.mx("signed.test").isAuthenticated()).isTrue();
        assertThat(r.mx("unsigned.test").isAuthenticated()).isFalse();
    }
}
