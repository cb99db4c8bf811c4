package io.postbus.auth.spf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A syntactically valid SPF record (RFC 7208 §4.6, §12). Unknown modifiers were checked and
 * dropped: they "MUST be ignored" (§6).
 *
 * @param directives  in the order they are evaluated
 * @param redirect    the redirect= domain-spec (§6.1)
 * @param explanation the exp= domain-spec (§6.2)
 */
record SpfRecord(List<Directive> directives, Optional<MacroString> redirect, Optional<MacroString> explanation) {
    SpfRecord {
        directives = List.copyOf(directives);
        Objects.requireNonNull(redirect, "redirect");
        Objects.requireNonNull(explanation, "explanation");
    }
}
