package io.postbus.auth.spf;

import io.postbus.core.dns.DnsResult;
import java.util.List;
import java.util.Optional;

/** The explanation of a fail (RFC 7208 §6.2): the publisher's exp= text, else the receiver's default. */
final class Explanations {

    private final Lookups lookups;
    private final MacroExpander macros;
    private final MacroString defaultText;

    Explanations(Lookups lookups, MacroExpander macros, MacroString defaultText) {
        this.lookups = lookups;
        this.macros = macros;
        this.defaultText = defaultText;
    }

    /**
     * The explanation for a fail decided by the record of {@code domain}. The exp= lookup is made
     * once, after the result is known, and counts against no limit (test suite "exp-void").
     */
    String explain(Optional<MacroString> exp, String domain) {
        return ascii(exp.flatMap(spec -> published(spec, domain)).orElseGet(() -> macros.expand(defaultText, domain)));
    }

    /**
     * §6.2: "If there are any DNS processing errors (any RCODE other than 0), or if no records are
     * returned, or if more than one record is returned, or if there are syntax errors in the
     * explanation string, then proceed as if no "exp" modifier was given."
     */
    private Optional<String> published(MacroString spec, String domain) {
        String target = macros.expandDomain(spec, domain);
        if (!SpfDomains.isQueryable(target)
                || !(lookups.txt(target) instanceof DnsResult.Answer<List<String>> answer)
                || answer.value().size() != 1) {
            return Optional.empty();
        }
        Parsed<MacroString> text = MacroString.parse(answer.value().get(0), MacroString.Use.EXPLANATION);
        if (!(text instanceof Parsed.Ok<MacroString> ok)) {
            return Optional.empty();
        }
        return Optional.of(macros.expand(ok.value(), domain));
    }

    /**
     * §6.2: the explanation "MUST be limited to US-ASCII". The text from DNS was checked, but macros
     * such as "l" carry what the client sent, which may be UTF-8 (SMTPUTF8): such characters become '?'.
     */
    private static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }
}
