package io.postbus.cli;

import io.postbus.core.bounce.BounceClass;
import io.postbus.core.config.ConfigValues;
import io.postbus.core.suppression.SuppressionAction;
import io.postbus.core.suppression.SuppressionPolicy;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The suppression.* settings as the core's types. */
final class Suppressions {
    private Suppressions() {}

    static SuppressionPolicy policy(ConfigValues v) {
        Set<BounceClass> classes = EnumSet.noneOf(BounceClass.class);
        v.list("suppression.bounce.classes").forEach(c -> classes.add(BounceClass.valueOf(c.toUpperCase(Locale.ROOT))));
        return new SuppressionPolicy(classes, v.duration("suppression.expiry"));
    }

    static SuppressionAction action(ConfigValues v) {
        return SuppressionAction.parse(v.string("suppression.action"));
    }

    static boolean isBounceClass(Object name) {
        return Arrays.stream(BounceClass.values()).anyMatch(c -> c.name().equalsIgnoreCase(String.valueOf(name)));
    }
}
