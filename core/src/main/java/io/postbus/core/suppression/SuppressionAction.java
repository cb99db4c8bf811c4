package io.postbus.core.suppression;

import java.util.Locale;

/** What the router does with a recipient on the suppression list. */
public enum SuppressionAction {
    /** Leave the recipient out and record a Suppressed event; the sender hears nothing. */
    DROP,
    /** Fail the recipient with a Bounce event and a delivery status notification to the sender. */
    BOUNCE;

    /** From a configuration value, {@code drop} or {@code bounce}. */
    public static SuppressionAction parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
