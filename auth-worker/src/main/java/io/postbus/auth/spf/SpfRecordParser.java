package io.postbus.auth.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a whole SPF record before any of it is evaluated, so that a syntax error anywhere gives
 * permerror (RFC 7208 §4.6: "if there are any syntax errors anywhere in the record, check_host()
 * returns immediately with the result permerror"). Grammar: §4.6.1, §5, §6, §7.1 and §12.
 */
final class SpfRecordParser {
    private SpfRecordParser() {}

    private static final String VERSION = "v=spf1";
    /** modifier = name "=" value; name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) (§4.6.1). */
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)=(.*)", Pattern.DOTALL);
    /** The dual-cidr-length at the end of an "a" or "mx" term: [ "/" ip4 ] [ "//" ip6 ]. */
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/([0-9]+))?(?://([0-9]+))?", Pattern.DOTALL);
    private static final Pattern CIDR = Pattern.compile("0|[1-9][0-9]{0,2}");

    /** §4.5: a record is an SPF record when it starts with exactly "v=spf1" followed by a space or its end. */
    static boolean isSpfRecord(String txt) {
        if (txt.length() < VERSION.length() || !isAscii(txt.substring(0, VERSION.length()))) {
            return false; // String's own case folding would take "v=\u017Fpf1" (long s) for "v=spf1"
        }
        return txt.substring(0, VERSION.length()).toLowerCase(Locale.ROOT).equals(VERSION)
                && (txt.length() == VERSION.length() || txt.charAt(VERSION.length()) == ' ');
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    static Parsed<SpfRecord> parse(String text) {
        if (!isSpfRecord(text)) {
            return Parsed.invalid("not an SPF record: it does not start with \"v=spf1\"");
        }
        List<Directive> directives = new ArrayList<>();
        Optional<MacroString> redirect = Optional.empty();
        Optional<MacroString> explanation = Optional.empty();
        // terms = *( 1*SP ( directive / modifier ) ): split on SP only; a tab or CR is no separator.
        for (String term : text.substring(VERSION.length()).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher modifier = MODIFIER.matcher(term);
            if (!modifier.matches()) {
                Parsed<Directive> directive = directive(term);
                if (directive instanceof Parsed.Invalid<Directive> bad) {
                    return Parsed.invalid(bad.reason());
                }
                directives.add(((Parsed.Ok<Directive>) directive).value());
                continue;
            }
            String name = modifier.group(1).toLowerCase(Locale.ROOT);
            String value = modifier.group(2);
            if (name.equals("redirect") || name.equals("exp")) {
                // §6: "These two modifiers MUST NOT appear in a record more than once each."
                if (name.equals("redirect") ? redirect.isPresent() : explanation.isPresent()) {
                    return Parsed.invalid(name + "= appears more than once");
                }
                Parsed<MacroString> spec = domainSpec(value);
                if (spec instanceof Parsed.Invalid<MacroString> bad) {
                    return Parsed.invalid(term + ": " + bad.reason());
                }
                Optional<MacroString> parsed = Optional.of(((Parsed.Ok<MacroString>) spec).value());
                if (name.equals("redirect")) {
                    redirect = parsed;
                } else {
                    explanation = parsed;
                }
            } else if (MacroString.parse(value, MacroString.Use.MODIFIER_VALUE) instanceof Parsed.Invalid<MacroString> bad) {
                // An unknown modifier is ignored, but its value must still be a valid macro-string (§12).
                return Parsed.invalid("modifier " + term + ": " + bad.reason());
            }
        }
        return Parsed.ok(new SpfRecord(directives, redirect, explanation));
    }

    private static Parsed<Directive> directive(String term) {
        Optional<Qualifier> given = Qualifier.of(term.charAt(0));
        String body = given.isPresent() ? term.substring(1) : term;
        Qualifier qualifier = given.orElse(Qualifier.PASS); // §4.6.2: the qualifier defaults to "+"
        int end = 0;
        while (end < body.length() && body.charAt(end) != ':' && body.charAt(end) != '/') {
            end++;
        }
        String name = isAscii(body.substring(0, end)) ? body.substring(0, end).toLowerCase(Locale.ROOT) : "";
        String rest = body.substring(end);
        Parsed<? extends Mechanism> mechanism;
        switch (name) {
            case "all" -> mechanism = rest.isEmpty() ? Parsed.ok(new Mechanism.All())
                    : Parsed.invalid("\"all\" takes no argument");
            case "include" -> mechanism = requiredDomain(rest).map(Mechanism.Include::new);
            case "exists" -> mechanism = requiredDomain(rest).map(Mechanism.Exists::new);
            case "ptr" -> mechanism = rest.isEmpty() ? Parsed.ok(new Mechanism.Ptr(Optional.empty()))
                    : requiredDomain(rest).map(d -> new Mechanism.Ptr(Optional.of(d)));
            case "a", "mx" -> mechanism = addressMechanism(name, rest);
            case "ip4" -> mechanism = network(rest, false);
            case "ip6" -> mechanism = network(rest, true);
            default -> mechanism = Parsed.invalid("unknown mechanism");
        }
        if (mechanism instanceof Parsed.Invalid<? extends Mechanism> bad) {
            return Parsed.invalid(term + ": " + bad.reason());
        }
        return Parsed.ok(new Directive(qualifier, ((Parsed.Ok<? extends Mechanism>) mechanism).value(), term));
    }

    /** ":" domain-spec, where the mechanism requires it. */
    private static Parsed<MacroString> requiredDomain(String rest) {
        if (!rest.startsWith(":")) {
            return Parsed.invalid("needs \":\" and a domain");
        }
        return domainSpec(rest.substring(1));
    }

    /** A "a" or "mx" term: [ ":" domain-spec ] [ dual-cidr-length ] (§5.3, §5.4). */
    private static Parsed<Mechanism> addressMechanism(String name, String rest) {
        Matcher m = DUAL_CIDR.matcher(rest);
        if (!m.matches()) {
            return Parsed.invalid("bad argument"); // cannot happen: every group is optional
        }
        Optional<Integer> ip4 = m.group(2) == null ? Optional.of(32) : cidr(m.group(2), 32);
        Optional<Integer> ip6 = m.group(3) == null ? Optional.of(128) : cidr(m.group(3), 128);
        if (ip4.isEmpty() || ip6.isEmpty()) {
            return Parsed.invalid("bad CIDR length");
        }
        Optional<MacroString> domain = Optional.empty();
        String domainPart = m.group(1);
        if (!domainPart.isEmpty()) {
            if (!domainPart.startsWith(":")) {
                return Parsed.invalid("bad argument");
            }
            Parsed<MacroString> spec = domainSpec(domainPart.substring(1));
            if (spec instanceof Parsed.Invalid<MacroString> bad) {
                return Parsed.invalid(bad.reason());
            }
            domain = Optional.of(((Parsed.Ok<MacroString>) spec).value());
        }
        return Parsed.ok(name.equals("a") ? new Mechanism.A(domain, ip4.get(), ip6.get())
                : new Mechanism.Mx(domain, ip4.get(), ip6.get()));
    }

    /** "ip4:" ip4-network [ ip4-cidr-length ] or "ip6:" ip6-network [ ip6-cidr-length ] (§5.6). */
    private static Parsed<Mechanism> network(String rest, boolean ipv6) {
        if (!rest.startsWith(":")) {
            return Parsed.invalid("needs \":\" and a network");
        }
        String arg = rest.substring(1);
        int slash = arg.indexOf('/');
        String address = slash < 0 ? arg : arg.substring(0, slash);
        int max = ipv6 ? 128 : 32;
        Optional<Integer> prefix = slash < 0 ? Optional.of(max) : cidr(arg.substring(slash + 1), max);
        if (prefix.isEmpty()) {
            return Parsed.invalid("bad CIDR length");
        }
        Optional<byte[]> network = ipv6 ? IpAddresses.parseIp6(address) : IpAddresses.parseIp4(address);
        if (network.isEmpty()) {
            return Parsed.invalid("bad " + (ipv6 ? "IPv6" : "IPv4") + " address");
        }
        return Parsed.ok(new Mechanism.Ip(network.get(), prefix.get()));
    }

    /** A CIDR length without leading zeros, at most {@code max} (§5.6: "/0" up to "/32" or "/128"). */
    private static Optional<Integer> cidr(String digits, int max) {
        if (!CIDR.matcher(digits).matches()) {
            return Optional.empty();
        }
        int value = Integer.parseInt(digits);
        return value <= max ? Optional.of(value) : Optional.empty();
    }

    private static Parsed<MacroString> domainSpec(String text) {
        if (text.isEmpty()) {
            return Parsed.invalid("empty domain-spec");
        }
        return MacroString.parse(text, MacroString.Use.DOMAIN_SPEC);
    }
}
