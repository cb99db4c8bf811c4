package io.postbus.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DnsResolver} must answer for the zones in {@code dns/zones} (see
 * {@link TestZones#resolver()}). Each backend's test implements this interface and supplies the
 * resolver; the backend reaches the zones however it does (directly, or over the wire).
 */
public interface DnsResolverContract {

    DnsResolver resolver();

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** The answer's values, failing the test if the result is not an answer. */
    static <T> List<T> values(DnsResult<List<T>> result) {
        assertThat(result).isInstanceOf(DnsResult.Answer.class);
        return ((DnsResult.Answer<List<T>>) result).value();
    }

    // --- MX (RFC 5321 §5.1, RFC 7505)

    @Test
    default void mxWithSeveralPreferences() {
        assertThat(values(resolver().mx("example.com"))).containsExactlyInAnyOrder(
                new MxRecord(10, "mx1.example.com"),
                new MxRecord(20, "mx2.example.com"),
                new MxRecord(20, "mx3.example.net"));
    }

    @Test
    default void nullMxHasAnEmptyExchange() {
        List<MxRecord> mx = values(resolver().mx("nullmx.example.com"));
        assertThat(mx).containsExactly(new MxRecord(0, "."));
        assertThat(mx.get(0).isNullMx()).isTrue();
    }

    /** RFC 5321 §5.1: no MX but an address means the implicit MX; the caller needs NODATA, then A. */
    @Test
    default void implicitMxIsNoDataThenAnAddress() {
        assertThat(resolver().mx("implicit.example.com")).isEqualTo(new DnsResult.NoData<>("implicit.example.com"));
        assertThat(resolver().a("implicit.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.30"))));
    }

    // --- TLSA (RFC 6698 §2), for DANE (RFC 7672)

    @Test
    default void tlsaRecordsAreDecodedFieldByField() {
        assertThat(values(resolver().tlsa("_25._tcp.mx.dane.test"))).containsExactlyInAnyOrder(
                new TlsaRecord(3, 1, 1, java.util.HexFormat.of().parseHex(
                        "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1")),
                new TlsaRecord(2, 0, 2, java.util.HexFormat.of().parseHex("0a0b0c0d0e0f")));
        assertThat(values(resolver().tlsa("_25._tcp.alias.dane.test"))).hasSize(2);
        assertThat(resolver().tlsa("_465._tcp.mx.dane.test").isVoid()).isTrue();
    }

    /** Nothing in the test zones is declared signed: no answer may claim DNSSEC validation. */
    @Test
    default void unsignedAnswersAreNotAuthenticated() {
        assertThat(resolver().tlsa("_25._tcp.mx.dane.test").isAuthenticated()).isFalse();
        assertThat(resolver().mx("example.com").isAuthenticated()).isFalse();
    }

    // --- TXT (RFC 7208 §3.3)

    @Test
    default void txtStringsAreJoinedWithoutSeparators() {
        assertThat(values(resolver().txt("example.com"))).containsExactlyInAnyOrder(
                "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all",
                "google-site-verification=abc123");
    }

    @Test
    default void txtKeepsQuotesAndBackslashesVerbatim() {
        assertThat(resolver().txt("escaped.example.com")).isEqualTo(DnsResult.answer(List.of("quote\"back\\slash")));
    }

    @Test
    default void txtForDmarcAndDkim() {
        assertThat(resolver().txt("_dmarc.example.com"))
                .isEqualTo(DnsResult.answer(List.of("v=DMARC1; p=reject; rua=mailto:dmarc@example.com")));
        assertThat(resolver().txt("sel1._domainkey.example.com"))
                .isEqualTo(DnsResult.answer(List.of("v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC")));
    }

    @Test
    default void namesAreCaseInsensitiveAndMayEndInADot() {
        assertThat(resolver().txt("_SPF.Example.NET.")).isEqualTo(DnsResult.answer(List.of("v=spf1 ip4:198.51.100.0/24 ~all")));
    }

    // --- NXDOMAIN vs no data (RFC 2308, RFC 8020)

    @Test
    default void missingNameIsNxDomain() {
        assertThat(resolver().txt("nope.example.com")).isEqualTo(new DnsResult.NxDomain<>("nope.example.com"));
        assertThat(resolver().a("nope.example.com").isVoid()).isTrue();
    }

    @Test
    default void existingNameWithoutTheTypeIsNoData() {
        assertThat(resolver().aaaa("mx2.example.com")).isEqualTo(new DnsResult.NoData<>("mx2.example.com"));
        assertThat(resolver().txt("mx1.example.com")).isEqualTo(new DnsResult.NoData<>("mx1.example.com"));
    }

    @Test
    default void emptyNonTerminalIsNoDataNotNxDomain() {
        assertThat(resolver().txt("_domainkey.example.com")).isEqualTo(new DnsResult.NoData<>("_domainkey.example.com"));
        assertThat(resolver().a("b.c.example.com")).isEqualTo(new DnsResult.NoData<>("b.c.example.com"));
        assertThat(resolver().a("c.example.com")).isEqualTo(new DnsResult.NoData<>("c.example.com"));
        assertThat(resolver().a("x.b.c.example.com")).isEqualTo(new DnsResult.NxDomain<>("x.b.c.example.com"));
    }

    @Test
    default void nameOutsideEveryZoneIsNxDomain() {
        assertThat(resolver().a("example.invalid")).isEqualTo(new DnsResult.NxDomain<>("example.invalid"));
    }

    @Test
    default void unparseableNameIsNxDomain() {
        assertThat(resolver().a("a..example.com").isVoid()).isTrue();
        assertThat(resolver().txt("x".repeat(64) + ".example.com").isVoid()).isTrue();
    }

    // --- CNAME (RFC 1034 §3.6.2, RFC 6604)

    @Test
    default void cnameChainIsFollowed() {
        assertThat(resolver().a("www.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.80"))));
        assertThat(resolver().txt("www.example.com")).isEqualTo(DnsResult.answer(List.of("host")));
    }

    @Test
    default void cnameIntoAnotherZone() {
        assertThat(resolver().a("alias.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.100"))));
    }

    @Test
    default void cnameToAMissingNameIsNxDomainForTheAskedName() {
        assertThat(resolver().a("dangling.example.com")).isEqualTo(new DnsResult.NxDomain<>("dangling.example.com"));
    }

    @Test
    default void cnameToANameWithoutTheTypeIsNoData() {
        assertThat(resolver().mx("www.example.com")).isEqualTo(new DnsResult.NoData<>("www.example.com"));
    }

    @Test
    default void cnameLoopIsServfail() {
        assertThat(resolver().a("loop1.example.com")).isInstanceOfSatisfying(DnsResult.Failure.class, f ->
                assertThat(f.kind()).isEqualTo(Kind.SERVFAIL));
    }

    @Test
    default void dnameRewritesTheSuffix() {
        assertThat(resolver().a("target.moved.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.100"))));
    }

    // --- wildcards (RFC 4592)

    @Test
    default void wildcardMatchesAnyMissingName() {
        assertThat(resolver().a("anything.wild.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.90"))));
        assertThat(resolver().txt("a.b.wild.example.com")).isEqualTo(DnsResult.answer(List.of("wildcard")));
    }

    @Test
    default void wildcardWithoutTheTypeIsNoData() {
        assertThat(resolver().mx("anything.wild.example.com")).isEqualTo(new DnsResult.NoData<>("anything.wild.example.com"));
    }

    @Test
    default void wildcardDoesNotCoverExistingNamesOrWhatIsBelowThem() {
        assertThat(resolver().a("explicit.wild.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.91"))));
        assertThat(resolver().txt("explicit.wild.example.com")).isEqualTo(new DnsResult.NoData<>("explicit.wild.example.com"));
        // closest encloser is explicit.wild.example.com, which has no wildcard child (§2.2.1)
        assertThat(resolver().a("x.explicit.wild.example.com")).isEqualTo(new DnsResult.NxDomain<>("x.explicit.wild.example.com"));
    }

    @Test
    default void wildcardCnameIsFollowed() {
        assertThat(resolver().a("foo.alias-wild.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.80"))));
    }

    // --- addresses and PTR

    @Test
    default void aAndAaaa() {
        assertThat(resolver().a("mx1.example.com")).isEqualTo(DnsResult.answer(List.of(ip("192.0.2.25"))));
        assertThat(resolver().aaaa("mx1.example.com")).isEqualTo(DnsResult.answer(List.of(ip("2001:db8::25"))));
    }

    @Test
    default void ptrForIpv4() {
        assertThat(resolver().ptr(ip("192.0.2.25"))).isEqualTo(DnsResult.answer(List.of("mx1.example.com")));
        assertThat(values(resolver().ptr(ip("192.0.2.80")))).containsExactlyInAnyOrder("host.example.com", "www.example.com");
    }

    @Test
    default void ptrForIpv6() {
        assertThat(resolver().ptr(ip("2001:db8::25"))).isEqualTo(DnsResult.answer(List.of("mx1.example.com")));
    }

    @Test
    default void ptrMissingIsNxDomainUnderTheReverseName() {
        assertThat(resolver().ptr(ip("192.0.2.7"))).isEqualTo(new DnsResult.NxDomain<>("7.2.0.192.in-addr.arpa"));
    }

    // --- failures are kept apart from NXDOMAIN (DMARC temperror, delivery deferral)

    @Test
    default void servfailIsAFailureNotAVoidLookup() {
        DnsResult<List<String>> result = resolver().txt("servfail.example.com");
        assertThat(result).isInstanceOfSatisfying(DnsResult.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Kind.SERVFAIL);
            assertThat(f.name()).isEqualTo("servfail.example.com");
        });
        assertThat(result.isVoid()).isFalse();
    }

    @Test
    default void refusedIsAFailure() {
        assertThat(resolver().mx("refused.example.com")).isInstanceOfSatisfying(DnsResult.Failure.class, f ->
                assertThat(f.kind()).isEqualTo(Kind.REFUSED));
    }

    @Test
    default void timeoutIsAFailure() {
        assertThat(resolver().a("timeout.example.com")).isInstanceOfSatisfying(DnsResult.Failure.class, f ->
                assertThat(f.kind()).isEqualTo(Kind.TIMEOUT));
    }

    @Test
    default void failureReachedThroughACnameIsAFailureOfTheAskedName() {
        assertThat(resolver().a("flaky.example.com")).isInstanceOfSatisfying(DnsResult.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Kind.SERVFAIL);
            assertThat(f.name()).isEqualTo("flaky.example.com");
        });
    }
}
