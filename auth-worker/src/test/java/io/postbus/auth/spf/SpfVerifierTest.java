package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The receiver's front door (RFC 7208 §2.3, §2.4, §4.3) and the verdict it returns, on real zone files. */
class SpfVerifierTest {

    static final ZoneFileResolver DNS = ZoneFileResolver.fromString("example.com", """
            @            TXT "v=spf1 ip4:192.0.2.10 include:_spf.example.com -all exp=why.example.com"
            @            TXT "google-site-verification=not-an-spf-record"
            _spf         TXT "v=spf1 a:mail.example.com ip6:2001:db8::/32 -all"
            mail         A   192.0.2.20
            why          TXT "%{i} is not one of %{d}'s designated mail servers (%{l})."
            helo-host    TXT "v=spf1 a -all"
            helo-host    A   192.0.2.30
            redirected   TXT "v=spf1 redirect=example.com"
            incl-temp    TXT "v=spf1 include:tempfail.example.com -all"
            tempfail     TXT "v=spf1 -all"
            noexp        TXT "v=spf1 ?ip4:192.0.2.50 -all"
            twice        TXT "v=spf1 -all"
            twice        TXT "v=spf1 +all"
            nothing      TXT "just text"
            broken       TXT "v=spf1 a:mail.example.com -al"
            ctrl         TXT "v=spf1 a:ctrl.example.com\\013\\010X-Injected:\\032yes -all"
            xn--bcher-kva TXT "v=spf1 ip4:192.0.2.40 -all"
            """).withFailure("tempfail.example.com", Kind.TIMEOUT);

    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    static final SpfSettings SETTINGS = SpfSettings.defaults("mx.receiver.example");
    static final SpfVerifier VERIFIER = new SpfVerifier(DNS, CLOCK, SETTINGS);

    static SpfReport verify(String client, String helo, String mailFrom) throws Exception {
        return VERIFIER.verify(new SpfRequest(InetAddress.getByName(client), helo, mailFrom));
    }

    @Test
    void passThroughIncludeNamesTheIncludeAsMechanism() throws Exception {
        SpfReport report = verify("192.0.2.20", "mail.example.com", "user@example.com");
        assertThat(report.verdict()).isEqualTo(new SpfVerdict(SpfResult.PASS, SpfIdentity.MAILFROM, "example.com",
                Optional.of("include:_spf.example.com"), Optional.empty(), Optional.empty()));
        assertThat(report.helo()).as("HELO is not checked unless the settings ask").isEmpty();
    }

    /** §6.2: the exp= text, macro-expanded in the context of the record that failed. */
    @Test
    void failCarriesThePublishedExplanation() throws Exception {
        SpfVerdict v = verify("192.0.2.99", "mail.example.org", "User@Example.COM.").verdict();
        assertThat(v.result()).isEqualTo(SpfResult.FAIL);
        assertThat(v.domain()).isEqualTo("example.com");
        assertThat(v.mechanism()).contains("-all");
        assertThat(v.explanation()).contains("192.0.2.99 is not one of example.com's designated mail servers (User).");
        assertThat(v.reason()).isEmpty();
    }

    /** No exp=: the receiver's default, itself an explain-string. Only fail gets an explanation. */
    @Test
    void defaultExplanationOnlyForFail() throws Exception {
        assertThat(verify("192.0.2.99", "h.example.org", "a@noexp.example.com").verdict().explanation())
                .contains("noexp.example.com does not designate 192.0.2.99 as a permitted sender");
        SpfVerdict neutral = verify("192.0.2.50", "h.example.org", "a@noexp.example.com").verdict();
        assertThat(neutral.result()).isEqualTo(SpfResult.NEUTRAL);
        assertThat(neutral.explanation()).isEmpty();
        SpfVerifier custom = new SpfVerifier(DNS, CLOCK, SETTINGS.withDefaultExplanation("See https://%{r}/spf?s=%{S}"));
        assertThat(custom.verify(new SpfRequest(InetAddress.getByName("192.0.2.99"), "h", "a+b@noexp.example.com"))
                .verdict().explanation()).contains("See https://mx.receiver.example/spf?s=a%2Bb%40noexp.example.com");
    }

    /** §6.2: the explanation "MUST be limited to US-ASCII", even when the local-part is UTF-8 (SMTPUTF8). */
    @Test
    void explanationStaysAscii() throws Exception {
        assertThat(verify("192.0.2.99", "h.example.org", "jörg@example.com").verdict().explanation())
                .hasValueSatisfying(e -> assertThat(e).endsWith("(j?rg).").matches("[\\x20-\\x7e]*"));
    }

    /** §2.4: for the null reverse-path the identity is postmaster@HELO, reported as the HELO identity. */
    @Test
    void nullReversePathChecksHelo() throws Exception {
        for (String nullPath : new String[] {"", "<>"}) {
            SpfReport report = verify("192.0.2.30", "helo-host.example.com", nullPath);
            assertThat(report.verdict().result()).isEqualTo(SpfResult.PASS);
            assertThat(report.verdict().identity()).isEqualTo(SpfIdentity.HELO);
            assertThat(report.verdict().domain()).isEqualTo("helo-host.example.com");
            assertThat(report.helo()).contains(report.verdict());
        }
        SpfVerdict fail = verify("192.0.2.31", "helo-host.example.com", "").verdict();
        assertThat(fail.result()).isEqualTo(SpfResult.FAIL);
        assertThat(fail.identity()).isEqualTo(SpfIdentity.HELO);
    }

    /** §2.3: checking HELO as well is RECOMMENDED; both verdicts come back, each with its identity. */
    @Test
    void heloCheckedAsWellWhenAsked() throws Exception {
        SpfVerifier both = new SpfVerifier(DNS, CLOCK, SETTINGS.withCheckHelo(true));
        SpfReport report = both.verify(new SpfRequest(InetAddress.getByName("192.0.2.30"), "helo-host.example.com",
                "user@example.com"));
        assertThat(report.verdict().result()).isEqualTo(SpfResult.FAIL);
        assertThat(report.verdict().identity()).isEqualTo(SpfIdentity.MAILFROM);
        assertThat(report.helo()).hasValueSatisfying(h -> {
            assertThat(h.result()).isEqualTo(SpfResult.PASS);
            assertThat(h.identity()).isEqualTo(SpfIdentity.HELO);
            assertThat(h.mechanism()).contains("a");
        });
        // A HELO that is no domain name gives none, and says why (§4.3).
        SpfReport literal = both.verify(new SpfRequest(InetAddress.getByName("192.0.2.20"), "[192.0.2.20]",
                "user@example.com"));
        assertThat(literal.verdict().result()).isEqualTo(SpfResult.PASS);
        assertThat(literal.helo()).hasValueSatisfying(h -> {
            assertThat(h.result()).isEqualTo(SpfResult.NONE);
            assertThat(h.reason()).isPresent();
        });
    }

    /** §4.3: "If the <sender> has no local-part, substitute the string "postmaster" for the local-part." */
    @Test
    void emptyLocalPartIsPostmaster() throws Exception {
        assertThat(verify("192.0.2.99", "h.example.org", "@example.com").verdict().explanation())
                .hasValueSatisfying(e -> assertThat(e).endsWith("(postmaster)."));
    }

    /** §4.3: a malformed or single-label domain, or an address literal, gives none without asking DNS. */
    @Test
    void malformedDomainsGiveNone() throws Exception {
        for (String from : new String[] {"user@[192.0.2.1]", "user@localhost", "user@a..example.com",
                "user@" + "x".repeat(64) + ".example.com", "user@", "user@exa mple.com", "user@-bad.example.com"}) {
            SpfVerdict v = verify("192.0.2.20", "h.example.org", from).verdict();
            assertThat(v.result()).as(from).isEqualTo(SpfResult.NONE);
            assertThat(v.reason()).as(from).isPresent();
        }
    }

    /** §4.4, §4.5: no record is none; a DNS failure is temperror, also through include; two records are permerror. */
    @Test
    void recordLookupOutcomes() throws Exception {
        assertThat(verify("192.0.2.20", "h", "a@nothing.example.com").verdict().result()).isEqualTo(SpfResult.NONE);
        assertThat(verify("192.0.2.20", "h", "a@nowhere.example.com").verdict().result()).isEqualTo(SpfResult.NONE);
        SpfVerdict temp = verify("192.0.2.20", "h", "a@tempfail.example.com").verdict();
        assertThat(temp.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(temp.reason()).hasValueSatisfying(r -> assertThat(r).contains("timeout"));
        assertThat(verify("192.0.2.20", "h", "a@incl-temp.example.com").verdict().result()).isEqualTo(SpfResult.TEMPERROR);
        SpfVerdict two = verify("192.0.2.20", "h", "a@twice.example.com").verdict();
        assertThat(two.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(two.reason()).hasValueSatisfying(r -> assertThat(r).contains("2 SPF records"));
        SpfVerdict broken = verify("192.0.2.20", "h", "a@broken.example.com").verdict();
        assertThat(broken.result()).as("the error is found before a:mail matches").isEqualTo(SpfResult.PERMERROR);
        assertThat(broken.reason()).hasValueSatisfying(r -> assertThat(r).contains("-al"));
    }

    /** Reasons quote DNS data; control characters in it are escaped, so a reason cannot break a log line or header. */
    @Test
    void reasonsArePrintable() throws Exception {
        SpfVerdict v = verify("192.0.2.20", "h", "a@ctrl.example.com").verdict();
        assertThat(v.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(v.reason()).hasValueSatisfying(r -> assertThat(r).contains("\\u000D\\u000AX-Injected")
                .matches("[\\x20-\\x7e]*"));
    }

    /** §6.1: after redirect the target's record decides, mechanism and explanation (in its context) included. */
    @Test
    void redirectReportsTheTargetsMatch() throws Exception {
        SpfVerdict pass = verify("192.0.2.10", "h", "u@redirected.example.com").verdict();
        assertThat(pass.result()).isEqualTo(SpfResult.PASS);
        assertThat(pass.domain()).isEqualTo("redirected.example.com");
        assertThat(pass.mechanism()).contains("ip4:192.0.2.10");
        assertThat(verify("192.0.2.99", "h", "u@redirected.example.com").verdict().explanation())
                .contains("192.0.2.99 is not one of example.com's designated mail servers (u).");
    }

    /** §5: an IPv4-mapped IPv6 client is IPv4 for ip4, a and the i and c macros; a real IPv6 client uses ip6. */
    @Test
    void addressFamilies() throws Exception {
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 10}, -1);
        assertThat(VERIFIER.verify(new SpfRequest(mapped, "h", "u@example.com")).verdict().result())
                .isEqualTo(SpfResult.PASS);
        InetAddress mappedOther = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 11}, -1);
        assertThat(VERIFIER.verify(new SpfRequest(mappedOther, "h", "u@example.com")).verdict().explanation())
                .hasValueSatisfying(e -> assertThat(e).startsWith("192.0.2.11 is not"));
        assertThat(verify("2001:db8::25", "h", "u@example.com").verdict().result()).isEqualTo(SpfResult.PASS);
        assertThat(verify("2001:db9::25", "h", "u@example.com").verdict().result()).isEqualTo(SpfResult.FAIL);
    }

    /** A U-label domain (SMTPUTF8) is looked up in its A-label form (RFC 8616 §4). */
    @Test
    void internationalizedDomain() throws Exception {
        SpfVerdict v = verify("192.0.2.40", "h", "user@bücher.example.com").verdict();
        assertThat(v.result()).isEqualTo(SpfResult.PASS);
        assertThat(v.domain()).isEqualTo("xn--bcher-kva.example.com");
    }

    @Test
    void requestAndSettingsAreValidated() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.1");
        assertThatThrownBy(() -> new SpfRequest(ip, "h\r\nMAIL FROM:<x@y>", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpfRequest(ip, "h", "a@b\n")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SpfRequest(ip, "h", "<a@b.example>").mailFrom()).isEqualTo("a@b.example");
        assertThatThrownBy(() -> SETTINGS.withDefaultExplanation("100% sure")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SETTINGS.withTimeBudget(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpfSettings("r", "x", 0, 2, 10, Duration.ofSeconds(1), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpfSettings.defaults("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SpfSettings.defaults("r")).satisfies(s -> {
            assertThat(s.maxDnsLookups()).isEqualTo(10);
            assertThat(s.maxVoidLookups()).isEqualTo(2);
            assertThat(s.maxMxOrPtrNames()).isEqualTo(10);
            assertThat(s.timeBudget()).isEqualTo(Duration.ofSeconds(20));
        });
    }

    /** The verdict's shape follows its result: explanation with fail only, a reason with the errors. */
    @Test
    void verdictInvariants() {
        Optional<String> none = Optional.empty();
        assertThatThrownBy(() -> new SpfVerdict(SpfResult.FAIL, SpfIdentity.HELO, "d", none, none, none))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpfVerdict(SpfResult.PASS, SpfIdentity.HELO, "d", none, Optional.of("x"), none))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpfVerdict(SpfResult.PERMERROR, SpfIdentity.HELO, "d", none, none, none))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpfVerdict(SpfResult.TEMPERROR, SpfIdentity.HELO, "d", Optional.of("a"), none,
                Optional.of("dns"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(SpfResult.SOFTFAIL.keyword()).isEqualTo("softfail");
    }
}
