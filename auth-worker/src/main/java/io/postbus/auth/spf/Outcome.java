package io.postbus.auth.spf;

import java.util.Objects;
import java.util.Optional;

/**
 * What check_host() gave for one domain, before the explanation is fetched.
 *
 * @param result      the result
 * @param mechanism   the directive that matched, as written
 * @param reason      why, for none and the errors
 * @param domain      the domain whose record decided: the one an exp= and the default
 *                    explanation are expanded for (after a redirect, the redirect's target)
 * @param explanation that record's exp= domain-spec; used only if the result is fail (§6.2)
 */
record Outcome(SpfResult result, Optional<String> mechanism, Optional<String> reason, String domain,
               Optional<MacroString> explanation) {

    Outcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(explanation, "explanation");
    }

    static Outcome matched(Directive directive, String domain, SpfRecord record) {
        return new Outcome(directive.qualifier().result(), Optional.of(directive.text()), Optional.empty(),
                domain, record.explanation());
    }

    /** §4.7: "If none of the mechanisms match and there is no "redirect" modifier, then [...] neutral". */
    static Outcome noMatch(String domain) {
        return new Outcome(SpfResult.NEUTRAL, Optional.empty(), Optional.empty(), domain, Optional.empty());
    }

    static Outcome none(String domain, String reason) {
        return new Outcome(SpfResult.NONE, Optional.empty(), Optional.of(reason), domain, Optional.empty());
    }

    static Outcome halted(Step.Halted halt, String domain) {
        return new Outcome(halt.result(), Optional.empty(), Optional.of(halt.reason()), domain, Optional.empty());
    }
}
