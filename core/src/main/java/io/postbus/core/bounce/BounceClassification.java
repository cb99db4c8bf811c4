package io.postbus.core.bounce;

import java.util.Objects;
import java.util.Optional;

/** The class a reply falls in and the rule that put it there (empty when none matched: OTHER). */
public record BounceClassification(BounceClass bounceClass, Optional<BounceRule> rule) {
    public BounceClassification {
        Objects.requireNonNull(bounceClass, "bounceClass");
        Objects.requireNonNull(rule, "rule");
    }

    static BounceClassification unmatched() {
        return new BounceClassification(BounceClass.OTHER, Optional.empty());
    }
}
