package io.postbus.auth.results;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One resinfo of an Authentication-Results header (RFC 8601 §2.2): {@code method=result}, an optional
 * reason, an optional comment, and {@code ptype.property=value} pairs such as {@code header.d=example.com}.
 *
 * @param method     the registered method name (dkim, spf, dmarc, arc, auth…)
 * @param result     the registered result keyword, lower case (pass, fail, temperror…)
 * @param reason     free text, rendered as a quoted string (§2.2 reasonspec)
 * @param comment    free text rendered as a CFWS comment after the result, e.g. "p=reject dis=none"
 * @param properties ordered ptype.property → value
 */
public record ResultClause(String method, String result, Optional<String> reason, Optional<String> comment,
                           Map<String, String> properties) {

    public ResultClause {
        method = token(method, "method");
        result = token(result, "result");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(comment, "comment");
        Map<String, String> copy = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (!k.matches("[a-z]+\\.[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*")) {
                throw new IllegalArgumentException("property must be ptype.property: " + k);
            }
            copy.put(k, Objects.requireNonNull(v, k));
        });
        properties = java.util.Collections.unmodifiableMap(copy);
    }

    public static Builder of(String method, String result) {
        return new Builder(method, result);
    }

    private static String token(String s, String what) {
        String v = Objects.requireNonNull(s, what).toLowerCase(Locale.ROOT);
        if (!v.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(what + " is not a keyword: " + s);
        }
        return v;
    }

    /** Collects a clause step by step; unset values are simply left out of the header. */
    public static final class Builder {
        private final String method;
        private final String result;
        private String reason;
        private String comment;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder(String method, String result) {
            this.method = method;
            this.result = result;
        }

        public Builder reason(String value) {
            this.reason = value;
            return this;
        }

        public Builder comment(String value) {
            this.comment = value;
            return this;
        }

        /** Adds {@code ptype.property=value}; a null or empty value is skipped. */
        public Builder property(String name, String value) {
            if (value != null && !value.isEmpty()) {
                properties.put(name, value);
            }
            return this;
        }

        public ResultClause build() {
            return new ResultClause(method, result, Optional.ofNullable(reason).filter(r -> !r.isBlank()),
                    Optional.ofNullable(comment).filter(c -> !c.isBlank()), properties);
        }
    }
}
