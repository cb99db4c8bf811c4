package io.postbus.delivery.core;

import io.postbus.core.bounce.BounceClassification;
import io.postbus.core.bounce.BounceRules;
import java.util.Objects;

/**
 * Files a permanent failure under a bounce class for the Bounce event, by the rules of
 * {@link BounceRules}: the built-in file, with the operator's own file in front when one is set.
 */
public final class BounceClassifier {
    private static final BounceClassifier BUILT_IN = new BounceClassifier(BounceRules.builtIn());

    private final BounceRules rules;

    public BounceClassifier(BounceRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public static BounceClassifier builtIn() {
        return BUILT_IN;
    }

    public BounceClassification classify(RemoteReply reply) {
        return rules.classify(reply.code(), reply.enhancedStatus(), reply.text());
    }
}
