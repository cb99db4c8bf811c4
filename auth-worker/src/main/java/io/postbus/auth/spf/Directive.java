package io.postbus.auth.spf;

import java.util.Objects;

/**
 * A qualifier and a mechanism (RFC 7208 §4.6.1).
 *
 * @param text the term as published, reported as the matching mechanism
 */
record Directive(Qualifier qualifier, Mechanism mechanism, String text) {
    Directive {
        Objects.requireNonNull(qualifier, "qualifier");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(text, "text");
    }
}
