package io.postbus.auth.spf;

import java.time.Duration;
import java.util.Objects;

/**
 * How the receiver runs check_host().
 *
 * @param receiverHost       this host's name, the "r" macro of explanations (RFC 7208 §7.3)
 * @param defaultExplanation the explain-string (§6.2) for a fail whose record gives no usable exp=;
 *                           macros allowed, e.g. {@code "%{o} does not authorize %{c} to send mail"}
 * @param maxDnsLookups      DNS-querying terms per evaluation (§4.6.4: 10)
 * @param maxVoidLookups     lookups with NXDOMAIN or no answer (§4.6.4: 2 recommended)
 * @param maxMxOrPtrNames    MX and PTR names looked at per mechanism (§4.6.4: 10)
 * @param timeBudget         wall-clock limit of one evaluation (§4.6.4: "at least 20 seconds")
 * @param checkHelo          also check the HELO identity when there is a reverse-path (§2.3 RECOMMENDED)
 */
public record SpfSettings(String receiverHost, String defaultExplanation, int maxDnsLookups, int maxVoidLookups,
                          int maxMxOrPtrNames, Duration timeBudget, boolean checkHelo) {

    public static final String DEFAULT_EXPLANATION = "%{o} does not designate %{c} as a permitted sender";
    /** Include and redirect recurse once per counted lookup; this keeps the depth far from any stack limit. */
    private static final int MAX_DNS_LOOKUPS = 100;

    public SpfSettings {
        Objects.requireNonNull(receiverHost, "receiverHost");
        Objects.requireNonNull(defaultExplanation, "defaultExplanation");
        Objects.requireNonNull(timeBudget, "timeBudget");
        if (receiverHost.isBlank() || !receiverHost.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("receiverHost must be a host name, not \"" + receiverHost + "\"");
        }
        if (MacroString.parse(defaultExplanation, MacroString.Use.EXPLANATION) instanceof Parsed.Invalid<MacroString> bad) {
            throw new IllegalArgumentException("defaultExplanation is not an RFC 7208 explain-string: " + bad.reason());
        }
        if (maxDnsLookups < 1 || maxDnsLookups > MAX_DNS_LOOKUPS) {
            throw new IllegalArgumentException("maxDnsLookups must be 1.." + MAX_DNS_LOOKUPS + ", not " + maxDnsLookups);
        }
        if (maxVoidLookups < 0 || maxMxOrPtrNames < 1) {
            throw new IllegalArgumentException("maxVoidLookups must be >= 0 and maxMxOrPtrNames >= 1");
        }
        if (timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("timeBudget must be positive, not " + timeBudget);
        }
    }

    /** The limits RFC 7208 §4.6.4 sets or recommends, the default explanation, and no separate HELO check. */
    public static SpfSettings defaults(String receiverHost) {
        return new SpfSettings(receiverHost, DEFAULT_EXPLANATION, 10, 2, 10, Duration.ofSeconds(20), false);
    }

    public SpfSettings withDefaultExplanation(String text) {
        return new SpfSettings(receiverHost, text, maxDnsLookups, maxVoidLookups, maxMxOrPtrNames, timeBudget, checkHelo);
    }

    public SpfSettings withCheckHelo(boolean check) {
        return new SpfSettings(receiverHost, defaultExplanation, maxDnsLookups, maxVoidLookups, maxMxOrPtrNames,
                timeBudget, check);
    }

    public SpfSettings withTimeBudget(Duration budget) {
        return new SpfSettings(receiverHost, defaultExplanation, maxDnsLookups, maxVoidLookups, maxMxOrPtrNames,
                budget, checkHelo);
    }

    /** The parsed default explanation; valid, the constructor made sure of it. */
    MacroString parsedDefaultExplanation() {
        return ((Parsed.Ok<MacroString>) MacroString.parse(defaultExplanation, MacroString.Use.EXPLANATION)).value();
    }
}
