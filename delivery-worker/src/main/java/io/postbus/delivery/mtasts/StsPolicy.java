package io.postbus.delivery.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed policy file (RFC 8461 §3.2):
 * <pre>
 * version: STSv1
 * mode: enforce
 * mx: mail.example.com
 * mx: *.example.net
 * max_age: 604800
 * </pre>
 *
 * @param mode   what a sender does with an MX host that fails validation
 * @param mx     the MX host names allowed; empty only in mode none
 * @param maxAge how long the policy may be cached, at most {@link #MAX_AGE_LIMIT}
 */
public record StsPolicy(Mode mode, List<MxPattern> mx, Duration maxAge) {

    /** RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year). */
    public static final Duration MAX_AGE_LIMIT = Duration.ofSeconds(31_557_600);

    /** RFC 8461 §5: enforce, testing, none. */
    public enum Mode {
        /** Deliver only to MX hosts matching the policy, over TLS with a valid certificate (§4.2). */
        ENFORCE,
        /** Deliver as usual; failures are only reported (TLSRPT, RFC 8460). */
        TESTING,
        /** The domain withdraws its policy: as if there were none (§5). */
        NONE
    }

    /** A parse result: a policy, or why the body is not one. Never an exception for a bad body. */
    public sealed interface Parsed {
        record Valid(StsPolicy policy) implements Parsed {}

        record Invalid(String reason) implements Parsed {}
    }

    public StsPolicy {
        Objects.requireNonNull(mode, "mode");
        mx = List.copyOf(mx);
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
            throw new IllegalArgumentException("max_age out of range: " + maxAge);
        }
        if (mode != Mode.NONE && mx.isEmpty()) {
            throw new IllegalArgumentException("a policy in mode " + mode + " needs mx lines");
        }
    }

    /** Whether an MX host name matches one of the policy's patterns (§4.1). */
    public boolean allows(String mxHost) {
        return mx.stream().anyMatch(p -> p.matches(mxHost));
    }

    /**
     * Parses a policy body. Lines end in CRLF or LF (§3.2 ABNF: sts-policy-term = LF / CRLF);
     * field names and the values of version and mode are case-sensitive; unknown fields are
     * extensions and ignored; for a field other than mx the first occurrence counts. A max_age
     * above the limit is cut to it rather than rejected (a sender's robustness, not a format error).
     */
    public static Parsed parse(String body) {
        Objects.requireNonNull(body, "body");
        String version = null;
        String mode = null;
        String maxAge = null;
        List<MxPattern> mx = new ArrayList<>();
        for (String raw : body.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return new Parsed.Invalid("not a \"name: value\" line: " + printable(line));
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode == null ? value : mode;
                case "max_age" -> maxAge = maxAge == null ? value : maxAge;
                case "mx" -> {
                    try {
                        mx.add(new MxPattern(value));
                    } catch (IllegalArgumentException e) {
                        return new Parsed.Invalid("bad mx line: " + printable(value));
                    }
                }
                default -> {
                    // An extension field (§3.2 sts-policy-ext-name): ignored.
                }
            }
        }
        if (!"STSv1".equals(version)) {
            return new Parsed.Invalid(version == null ? "no version field" : "unknown version " + printable(version));
        }
        Mode m;
        if ("enforce".equals(mode)) {
            m = Mode.ENFORCE;
        } else if ("testing".equals(mode)) {
            m = Mode.TESTING;
        } else if ("none".equals(mode)) {
            m = Mode.NONE;
        } else {
            return new Parsed.Invalid(mode == null ? "no mode field" : "unknown mode " + printable(mode));
        }
        if (maxAge == null || !maxAge.matches("[0-9]{1,10}")) {
            return new Parsed.Invalid(maxAge == null ? "no max_age field" : "bad max_age " + printable(maxAge));
        }
        long seconds = Math.min(Long.parseLong(maxAge), MAX_AGE_LIMIT.getSeconds());
        if (m != Mode.NONE && mx.isEmpty()) {
            return new Parsed.Invalid("mode " + mode + " without mx lines");
        }
        return new Parsed.Valid(new StsPolicy(m, mx, Duration.ofSeconds(seconds)));
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
