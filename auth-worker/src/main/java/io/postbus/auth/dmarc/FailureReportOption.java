package io.postbus.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/** The {@code fo} tag's options: when to send failure reports (RFC 7489 §6.3). */
public enum FailureReportOption {
    /** {@code 0}: when every mechanism failed to produce an aligned pass (the default). */
    ALL_FAIL("0"),
    /** {@code 1}: when any mechanism produced something other than an aligned pass. */
    ANY_FAIL("1"),
    /** {@code d}: when a DKIM signature failed evaluation, aligned or not. */
    DKIM_FAIL("d"),
    /** {@code s}: when SPF failed, aligned or not. */
    SPF_FAIL("s");

    private final String tag;

    FailureReportOption(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public static Optional<FailureReportOption> parse(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        for (FailureReportOption o : values()) {
            if (o.tag.equals(v)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
