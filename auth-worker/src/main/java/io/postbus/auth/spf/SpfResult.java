package io.postbus.auth.spf;

import java.util.Locale;

/** The seven results of check_host(), named and defined as in RFC 7208 §2.6. */
public enum SpfResult {
    /** §2.6.1: no syntactically valid domain, or no SPF record for it. */
    NONE,
    /** §2.6.2: the domain owner states nothing about the client ("?"), also the default when nothing matched. */
    NEUTRAL,
    /** §2.6.3: the client is authorized to use the domain in the given identity. */
    PASS,
    /** §2.6.4: the client is explicitly not authorized. */
    FAIL,
    /** §2.6.5: weak statement that the client is probably not authorized. */
    SOFTFAIL,
    /** §2.6.6: a transient (usually DNS) error; a later retry may succeed. */
    TEMPERROR,
    /** §2.6.7: the published records could not be correctly interpreted; needs the publisher to fix them. */
    PERMERROR;

    /** The lower-case name used in Authentication-Results (RFC 8601 §2.7.2) and Received-SPF (RFC 7208 §9.1). */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the two error results, which carry a reason instead of a matching mechanism. */
    public boolean isError() {
        return this == TEMPERROR || this == PERMERROR;
    }
}
