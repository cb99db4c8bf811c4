package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The record grammar of RFC 7208 §4.5, §4.6.1, §5, §6 and §12. */
class SpfRecordParserTest {

    static SpfRecord valid(String text) {
        Parsed<SpfRecord> parsed = SpfRecordParser.parse(text);
        assertThat(parsed).as(text).isInstanceOf(Parsed.Ok.class);
        return ((Parsed.Ok<SpfRecord>) parsed).value();
    }

    static String invalid(String text) {
        Parsed<SpfRecord> parsed = SpfRecordParser.parse(text);
        assertThat(parsed).as(text).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid<SpfRecord>) parsed).reason();
    }

    /** §4.5: "v=spf1" exactly, any case, then a space or the end; nothing else selects a record. */
    @Test
    void recordSelection() {
        assertThat(SpfRecordParser.isSpfRecord("v=spf1")).isTrue();
        assertThat(SpfRecordParser.isSpfRecord("V=SpF1 -all")).isTrue();
        assertThat(SpfRecordParser.isSpfRecord("v=spf1mx")).isFalse();
        assertThat(SpfRecordParser.isSpfRecord("v=spf10")).isFalse();
        assertThat(SpfRecordParser.isSpfRecord(" v=spf1 -all")).isFalse();
        assertThat(SpfRecordParser.isSpfRecord("v=spf1\t-all")).isFalse();
        assertThat(SpfRecordParser.isSpfRecord("v=\u017Fpf1 -all")).as("long s is not s").isFalse();
        assertThat(SpfRecordParser.isSpfRecord("spf2.0/pra -all")).isFalse();
    }

    @Test
    void directivesInOrderWithQualifiersAndDefaults() {
        SpfRecord r = valid("v=spf1  +a -mx:%{d}/24//64 ~ptr ?include:_spf.example.net ip4:192.0.2.0/24 "
                + "ip6:2001:db8::/32 exists:%{ir}.bl.example A:mail.example.com//0 all ");
        assertThat(r.directives()).extracting(Directive::qualifier).containsExactly(Qualifier.PASS, Qualifier.FAIL,
                Qualifier.SOFTFAIL, Qualifier.NEUTRAL, Qualifier.PASS, Qualifier.PASS, Qualifier.PASS, Qualifier.PASS,
                Qualifier.PASS);
        assertThat(r.directives().get(0).mechanism()).isEqualTo(new Mechanism.A(Optional.empty(), 32, 128));
        assertThat(r.directives().get(1).mechanism()).isInstanceOfSatisfying(Mechanism.Mx.class, mx -> {
            assertThat(mx.ip4Prefix()).isEqualTo(24);
            assertThat(mx.ip6Prefix()).isEqualTo(64);
            assertThat(mx.domain()).map(MacroString::text).contains("%{d}");
        });
        assertThat(r.directives().get(4).mechanism()).isEqualTo(new Mechanism.Ip(new byte[] {(byte) 192, 0, 2, 0}, 24));
        assertThat(r.directives().get(5).mechanism()).isInstanceOfSatisfying(Mechanism.Ip.class,
                ip -> assertThat(ip.network()).hasSize(16));
        assertThat(r.directives().get(7).mechanism()).isInstanceOfSatisfying(Mechanism.A.class, a -> {
            assertThat(a.ip4Prefix()).isEqualTo(32);
            assertThat(a.ip6Prefix()).isZero();
        });
        assertThat(r.directives()).extracting(Directive::text).startsWith("+a", "-mx:%{d}/24//64");
        assertThat(r.redirect()).isEmpty();
        assertThat(r.explanation()).isEmpty();
    }

    /** §6: redirect and exp anywhere, once each; unknown modifiers checked, then ignored. */
    @Test
    void modifiers() {
        SpfRecord r = valid("v=spf1 exp=explain._spf.%{d} moo.cow-far_out=man:dog/cat mx Redirect=_spf.example.com "
                + "default=+ op=pfx.x");
        assertThat(r.directives()).hasSize(1);
        assertThat(r.redirect()).map(MacroString::text).contains("_spf.example.com");
        assertThat(r.explanation()).map(MacroString::text).contains("explain._spf.%{d}");
        assertThat(valid("v=spf1").directives()).isEmpty();
    }

    /** Each of these makes the whole record a permerror, wherever the error stands (§4.6). */
    @ParameterizedTest
    @ValueSource(strings = {
            "v=spf1 ip4:1.2.3.4 -all moo",               // unknown mechanism (§4.6.1)
            "v=spf1 -all.", "v=spf1 -all:foobar", "v=spf1 -all/8",   // all takes nothing (§5.1)
            "v=spf1 include", "v=spf1 include:", "v=spf1 include:ip5.example.com/24", // §5.2
            "v=spf1 a/33", "v=spf1 a//129", "v=spf1 a/24/64", "v=spf1 a:", "v=spf1 a/032", // §5.3 dual-cidr
            "v=spf1 a:foo-bar", "v=spf1 a:111.222.33.44", "v=spf1 a:museum.", "v=spf1 a:example.com:8080",
            "v=spf1 mx/33", "v=spf1 mx:", "v=spf1 mx:abc.123",    // §5.4
            "v=spf1 ptr/0", "v=spf1 ptr:",                        // §5.5
            "v=spf1 ip4", "v=spf1 ip4:1.2.3", "v=spf1 ip4:1.2.3.4/33", "v=spf1 ip4:1.2.3.4/032",
            "v=spf1 ip4:1.2.3.4//32", "v=spf1 ip4:1.2.3.4:8080", "v=spf1 -all ip6", "v=spf1 ip6:::1.1.1.1/129",
            "v=spf1 ip6:::1.1.1.1//33", "v=spf1 ip6::CAFE::BABE",  // §5.6
            "v=spf1 exists", "v=spf1 exists:", "v=spf1 exists:mail.example.com/24", // §5.7
            "v=spf1 redirect:t2.example.com",                     // a modifier with ':' is no modifier
            "v=spf1 exp= -all", "v=spf1 exp=-all", "v=spf1 redirect=-all ?all", "v=spf1 ?all redirect=", // §6.1, §6.2
            "v=spf1 exp=a.example.com -all exp=b.example.com",    // §6: at most once
            "v=spf1 redirect=a.example.com redirect=a.example.com",
            "v=spf1 1up=foo", "v=spf1 =all", "v=spf1 -all foo=%abc", "v=spf1 foo=%{c}",  // §6, §12 unknown-modifier
            "v=spf1 moo.cow/far_out=man:dog/cat", "v=spf1 moo.cow:far_out=man:dog/cat",
            "v=spf1 a:ctrl.example.com\rptr -all", "v=spf1 ip4:192.0.2.5\n -all",   // SP is the only separator
            "v=spf1 \u0080a:example.net -all", "v=spf1 a:example.net \u0096all",    // US-ASCII only (§3.1)
            "v=spf1 a:\u00ef\u00bb\u00bfgarbage.example.net -all",
            "v=spf1 -exists:%(ir).sbl.example.com", "v=spf1 a:%{a}.example.com", // macro syntax (§7.1)
            "v=spf1 +", "v=spf1 -", "not an spf record",
    })
    void syntaxErrors(String text) {
        assertThat(invalid(text)).isNotBlank();
    }

    @Test
    void reasonsNameTheTerm() {
        assertThat(invalid("v=spf1 ip4:1.2.3.4 -all moo")).contains("moo").contains("unknown mechanism");
        assertThat(invalid("v=spf1 ip4:1.2.3.4/33")).contains("ip4:1.2.3.4/33").contains("CIDR");
        assertThat(invalid("v=spf1 exp=a.example.com exp=b.example.com")).contains("more than once");
    }

    /** Names are case-insensitive (RFC 5234 §2.3 strings); texts are kept as written for reports. */
    @Test
    void caseInsensitiveNames() {
        SpfRecord r = valid("v=spf1 IP4:192.0.2.1 Include:x.example.com EXISTS:%{D}.example.com -ALL EXP=e.example.com");
        assertThat(r.directives()).extracting(Directive::mechanism).hasExactlyElementsOfTypes(
                Mechanism.Ip.class, Mechanism.Include.class, Mechanism.Exists.class, Mechanism.All.class);
        assertThat(r.explanation()).isPresent();
        assertThat(r.directives().get(3).text()).isEqualTo("-ALL");
    }

    @Test
    void whichTermsCountAsDnsLookups() {
        List<Directive> d = valid("v=spf1 all ip4:192.0.2.1 ip6:::1 a mx ptr include:x.example exists:y.example")
                .directives();
        assertThat(d).extracting(x -> x.mechanism().queriesDns())
                .containsExactly(false, false, false, true, true, true, true, true);
    }
}
