package io.postbus.auth.spf;

import io.postbus.core.dns.DnsResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * check_host() for one domain (RFC 7208 §4.4-§4.8), recursing for include (§5.2) and redirect
 * (§6.1). One instance per top-level evaluation: the limits in {@link Lookups} span every level.
 */
final class Evaluation {

    private final Lookups lookups;
    private final MacroExpander macros;
    private final AddressMechanisms addresses;

    Evaluation(Lookups lookups, MacroExpander macros, AddressMechanisms addresses) {
        this.lookups = lookups;
        this.macros = macros;
        this.addresses = addresses;
    }

    /** §4.4 record lookup, §4.5 selection, §4.6 parse and evaluation, for a syntactically valid domain. */
    Outcome checkHost(String domain) {
        DnsResult<List<String>> txt = lookups.txt(domain);
        if (txt instanceof DnsResult.Failure<List<String>> failure) {
            // §4.4: "If the DNS lookup returns a server failure [...] or if the lookup times out, then
            // check_host() terminates immediately with the result "temperror"."
            return Outcome.halted(Step.temperror("record lookup: " + AddressMechanisms.describe(failure)), domain);
        }
        List<String> spf = txt instanceof DnsResult.Answer<List<String>> a
                ? a.value().stream().filter(SpfRecordParser::isSpfRecord).toList() : List.of();
        if (spf.isEmpty()) {
            // §4.5: "If the resultant record set includes no records, check_host() produces the "none" result."
            return Outcome.none(domain, "no SPF record at " + domain);
        }
        if (spf.size() > 1) {
            return Outcome.halted(Step.permerror(spf.size() + " SPF records at " + domain + " (RFC 7208 section 4.5)"), domain);
        }
        Parsed<SpfRecord> record = SpfRecordParser.parse(spf.get(0));
        if (record instanceof Parsed.Invalid<SpfRecord> bad) {
            return Outcome.halted(Step.permerror("syntax error in the record of " + domain + ": " + bad.reason()), domain);
        }
        return evaluate(((Parsed.Ok<SpfRecord>) record).value(), domain);
    }

    private Outcome evaluate(SpfRecord record, String domain) {
        for (Directive directive : record.directives()) {
            Step step = match(directive, domain);
            if (step instanceof Step.Halted halt) {
                return Outcome.halted(halt, domain);
            }
            if (((Step.Matched) step).matched()) {
                return Outcome.matched(directive, domain, record);
            }
            if (lookups.outOfTime()) {
                // A lookup that ptr skips on failure may have hit the budget: "no match" is then not known.
                return Outcome.halted(Step.temperror("time budget used up at " + directive.text()
                        + " in the record of " + domain + " (RFC 7208 section 4.6.4)"), domain);
            }
        }
        if (record.redirect().isEmpty()) {
            return Outcome.noMatch(domain);
        }
        return redirect(record.redirect().get(), domain);
    }

    private Step match(Directive directive, String domain) {
        Mechanism mechanism = directive.mechanism();
        String term = directive.text();
        if (mechanism.queriesDns()) {
            Optional<Step.Halted> limit = lookups.countDnsTerm(term);
            if (limit.isPresent()) {
                return limit.get();
            }
        }
        if (mechanism instanceof Mechanism.All) {
            return Step.MATCH;
        } else if (mechanism instanceof Mechanism.Ip ip) {
            return addresses.ip(ip);
        } else if (mechanism instanceof Mechanism.Include include) {
            return include(include, domain, term);
        } else if (mechanism instanceof Mechanism.A a) {
            return addresses.a(target(a.domain(), domain), a.ip4Prefix(), a.ip6Prefix(), term);
        } else if (mechanism instanceof Mechanism.Mx mx) {
            return addresses.mx(target(mx.domain(), domain), mx.ip4Prefix(), mx.ip6Prefix(), term);
        } else if (mechanism instanceof Mechanism.Ptr ptr) {
            return addresses.ptr(target(ptr.domain(), domain), term);
        } else {
            return addresses.exists(macros.expandDomain(((Mechanism.Exists) mechanism).domain(), domain), term);
        }
    }

    /**
     * §5.2: the included domain's result decides only whether "include" matches. Pass matches;
     * fail, softfail and neutral do not; errors propagate; none is a permerror.
     */
    private Step include(Mechanism.Include include, String domain, String term) {
        String target = macros.expandDomain(include.domain(), domain);
        Optional<String> valid = validTarget(target);
        if (valid.isEmpty()) {
            return Step.permerror(term + ": \"" + target + "\" is not a domain name");
        }
        Outcome inner = checkHost(valid.get());
        switch (inner.result()) {
            case PASS:
                return Step.MATCH;
            case FAIL:
            case SOFTFAIL:
            case NEUTRAL:
                return Step.NO_MATCH;
            case NONE:
                return Step.permerror(term + ": " + inner.reason().orElse("no SPF record"));
            default:
                return new Step.Halted(inner.result(), inner.reason().orElse(term));
        }
    }

    /** §6.1: the target's check_host() result is this record's, explanation included; none becomes permerror. */
    private Outcome redirect(MacroString spec, String domain) {
        String term = "redirect=" + spec.text();
        Optional<Step.Halted> limit = lookups.countDnsTerm(term);
        if (limit.isPresent()) {
            return Outcome.halted(limit.get(), domain);
        }
        String target = macros.expandDomain(spec, domain);
        Optional<String> valid = validTarget(target);
        if (valid.isEmpty()) {
            return Outcome.halted(Step.permerror(term + ": \"" + target + "\" is not a domain name"), domain);
        }
        Outcome outcome = checkHost(valid.get());
        if (outcome.result() == SpfResult.NONE) {
            return Outcome.halted(Step.permerror(term + ": " + outcome.reason().orElse("no SPF record")), domain);
        }
        return outcome;
    }

    private String target(Optional<MacroString> spec, String domain) {
        return spec.map(s -> macros.expandDomain(s, domain)).orElse(domain);
    }

    /** The initial-processing check of §4.3 applied to an include or redirect target, lower-cased. */
    private static Optional<String> validTarget(String target) {
        return SpfDomains.isQueryable(target) ? Optional.of(target.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
