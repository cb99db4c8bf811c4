package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Macro parsing and expansion, RFC 7208 §7. */
class MacroExpanderTest {

    /** The §7.4 setting: sender strong-bad@email.example.com, client 192.0.2.3, PTR name mx.example.org. */
    static MacroExpander rfcExample(String client) throws Exception {
        return new MacroExpander(Sender.of("strong-bad@email.example.com"), InetAddress.getByName(client),
                "mx.example.org", "receiver.example.net", 1_700_000_000L, domain -> "mx.example.org");
    }

    static MacroString domainSpec(String text) {
        Parsed<MacroString> parsed = MacroString.parse(text, MacroString.Use.DOMAIN_SPEC);
        assertThat(parsed).as(text).isInstanceOf(Parsed.Ok.class);
        return ((Parsed.Ok<MacroString>) parsed).value();
    }

    static MacroString explanation(String text) {
        Parsed<MacroString> parsed = MacroString.parse(text, MacroString.Use.EXPLANATION);
        assertThat(parsed).as(text).isInstanceOf(Parsed.Ok.class);
        return ((Parsed.Ok<MacroString>) parsed).value();
    }

    /** Every example of RFC 7208 §7.4 for the IPv4 client; the table ends each in a macro or toplabel. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "%{s}.x.com | strong-bad@email.example.com.x.com",
            "%{o}       | email.example.com",
            "%{d}       | email.example.com",
            "%{d4}      | email.example.com",
            "%{d3}      | email.example.com",
            "%{d2}      | example.com",
            "%{d1}      | com",
            "%{dr}      | com.example.email",
            "%{d2r}     | example.email",
            "%{l}       | strong-bad",
            "%{l-}      | strong.bad",
            "%{lr}      | strong-bad",
            "%{lr-}     | bad.strong",
            "%{l1r-}    | strong",
            "%{ir}.%{v}._spf.%{d2}            | 3.2.0.192.in-addr._spf.example.com",
            "%{lr-}.lp._spf.%{d2}             | bad.strong.lp._spf.example.com",
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}  | bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2} | 3.2.0.192.in-addr.strong.lp._spf.example.com",
            "%{d2}.trusted-domains.example.net | example.com.trusted-domains.example.net",
    })
    void rfc7208Section74Ipv4(String macro, String expected) throws Exception {
        assertThat(rfcExample("192.0.2.3").expandDomain(domainSpec(macro), "email.example.com")).isEqualTo(expected);
    }

    /**
     * §7.4, IPv6 client 2001:db8::cb01. The RFC prints the nibbles in lower case; we give them in
     * upper case as pyspf does and as the OpenSPF suite's expected explanations require (test
     * "v-macro-ip6"). DNS names compare case-insensitively (RFC 4343), so the query is the same.
     */
    @Test
    void rfc7208Section74Ipv6() throws Exception {
        String expanded = rfcExample("2001:db8::cb01").expandDomain(domainSpec("%{ir}.%{v}._spf.%{d2}"), "email.example.com");
        assertThat(expanded).isEqualToIgnoringCase(
                "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
        assertThat(expanded).startsWith("1.0.B.C.0");
    }

    /** §7.3: c is the readable address (RFC 5952 for IPv6), r the receiver, t the time; p from the PTR check. */
    @Test
    void explanationOnlyLettersAndP() throws Exception {
        MacroString text = explanation("%{c} %{r} %{t} %{p} %{v}");
        assertThat(rfcExample("192.0.2.3").expand(text, "email.example.com"))
                .isEqualTo("192.0.2.3 receiver.example.net 1700000000 mx.example.org in-addr");
        assertThat(rfcExample("2001:db8::cb01").expand(text, "email.example.com"))
                .isEqualTo("2001:db8::cb01 receiver.example.net 1700000000 mx.example.org ip6");
    }

    /** §7.3: upper-case letters are URL-escaped: everything outside RFC 3986 unreserved, as UTF-8 %XX. */
    @Test
    void upperCaseLettersAreUrlEscaped() throws Exception {
        MacroExpander m = new MacroExpander(Sender.of("~jack&jill=up-a_b3.c ü@example.com"),
                InetAddress.getByName("192.0.2.3"), "helo", "r", 0, d -> "unknown");
        assertThat(m.expand(explanation("%{L}"), "example.com")).isEqualTo("~jack%26jill%3Dup-a_b3.c%20%C3%BC");
        assertThat(m.expand(explanation("%{l}"), "example.com")).isEqualTo("~jack&jill=up-a_b3.c ü");
    }

    /** §7.1: "%%" is "%", "%_" a space, "%-" a URL-encoded space. */
    @Test
    void escapes() throws Exception {
        assertThat(rfcExample("192.0.2.3").expand(explanation("100%% %_x%-y"), "d.example")).isEqualTo("100%  x%20y");
    }

    /** §7.3 transformers: several delimiters, more digits than parts, empty parts kept, reversal then right-hand parts. */
    @Test
    void transformers() throws Exception {
        MacroExpander m = new MacroExpander(Sender.of("foo-bar+zip+quux@a..b.example.com"),
                InetAddress.getByName("192.0.2.3"), "helo", "r", 0, d -> "unknown");
        assertThat(m.expand(explanation("%{l2r+-}"), "x")).isEqualTo("bar.foo");
        assertThat(m.expand(explanation("%{l+-}"), "x")).isEqualTo("foo.bar.zip.quux");
        assertThat(m.expand(explanation("%{o99}"), "x")).isEqualTo("a..b.example.com");
        assertThat(m.expand(explanation("%{or}"), "x")).isEqualTo("com.example.b..a");
        assertThat(m.expand(explanation("%{o4}"), "x")).isEqualTo(".b.example.com");
    }

    /** §7.3: a name over 253 characters loses labels from the left; one trailing dot is dropped (suite 7.1/16). */
    @Test
    void domainTruncationAndTrailingDot() throws Exception {
        MacroExpander m = new MacroExpander(Sender.of("x@" + "a".repeat(60) + ".example.com"),
                InetAddress.getByName("192.0.2.3"), "helo", "r", 0, d -> "unknown");
        String name = m.expandDomain(domainSpec("front.%{o}.%{o}.%{o}.%{o}.example.net."), "x.example");
        assertThat(name).hasSizeLessThanOrEqualTo(253).doesNotEndWith(".").endsWith(".example.net")
                .doesNotStartWith("front.");
        assertThat(m.expandDomain(domainSpec("%{d}.example.com."), "x.example")).isEqualTo("x.example.example.com");
        // Explanations keep their trailing dot (suite "trailing-dot-exp").
        assertThat(m.expand(explanation("This is a test."), "x.example")).isEqualTo("This is a test.");
    }

    /** §7.1 and §7.3 syntax errors: each one makes the term, and so the record, a permerror. */
    @ParameterizedTest
    @ValueSource(strings = {
            "%{x}.example.com",        // not a macro letter
            "%{d0}.example.com",       // "If a DIGIT is specified, the value MUST be nonzero."
            "%(ir).example.com",       // '%' not followed by '{', '%', '-' or '_'
            "foo%.example.com",
            "%{d.example.com",         // unterminated
            "%{}.example.com",
            "%{d2r!}.example.com",     // '!' is no delimiter
            "%{c}.example.com",        // c, r, t only in explanations
            "%{r}.example.com",
            "%{T}.example.com",
            "example",                 // no "." toplabel
            "example.com:8080",        // toplabel with ':'
            "111.222.33.44",           // all-numeric toplabel
            "example.-com",            // toplabel starting with '-'
            "%{d}.",                   // "." after the final macro needs a toplabel
            "foo.example.com\u0000",   // NUL is no macro-literal
            "foo.exa mple.com",        // nor is a space
            "hosed.ex\u00e4mple.com",  // nor non-ASCII
    })
    void invalidDomainSpecs(String text) {
        assertThat(MacroString.parse(text, MacroString.Use.DOMAIN_SPEC)).isInstanceOf(Parsed.Invalid.class);
    }

    /** §7.1 domain-end: "." toplabel with an optional trailing dot, or a macro-expand (escapes included). */
    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com.", "%{d}", "_spf.%{d2}", "foo.xn--zckzah",
            "foo:bar/baz.example.com", "%{ir}.x123", "a.b-1", "macro%%percent%_space.example.com", "x%%", "x%-"})
    void validDomainSpecs(String text) {
        assertThat(MacroString.parse(text, MacroString.Use.DOMAIN_SPEC)).isInstanceOf(Parsed.Ok.class);
    }

    /** explain-string = *( macro-string / SP ): spaces and c, r, t allowed; control and non-ASCII characters not. */
    @Test
    void explanationSyntax() {
        assertThat(MacroString.parse("See http://x.example/?%{C} from %{r}", MacroString.Use.EXPLANATION))
                .isInstanceOf(Parsed.Ok.class);
        assertThat(MacroString.parse("The %{x}-files.", MacroString.Use.EXPLANATION)).isInstanceOf(Parsed.Invalid.class);
        assertThat(MacroString.parse("\u00ef\u00bb\u00bfExplanation", MacroString.Use.EXPLANATION))
                .isInstanceOf(Parsed.Invalid.class);
        assertThat(MacroString.parse("tab\there", MacroString.Use.EXPLANATION)).isInstanceOf(Parsed.Invalid.class);
    }
}
