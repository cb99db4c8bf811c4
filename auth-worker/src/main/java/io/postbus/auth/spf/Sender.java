package io.postbus.auth.spf;

import java.util.Objects;

/**
 * The &lt;sender&gt; of check_host() (RFC 7208 §4.1) split for the "s", "l" and "o" macros.
 *
 * @param localPart the local-part, "postmaster" when the address had none (§4.3)
 * @param domain    the domain part, as given
 */
record Sender(String localPart, String domain) {

    Sender {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
    }

    /**
     * Splits at the last "@" (a quoted local-part may hold one). With no "@" at all the text is
     * taken as a domain, as for postmaster@HELO; an empty local-part becomes "postmaster" (§4.3).
     */
    static Sender of(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return new Sender("postmaster", address);
        }
        String local = address.substring(0, at);
        return new Sender(local.isEmpty() ? "postmaster" : local, address.substring(at + 1));
    }

    /** The "s" macro. */
    String address() {
        return localPart + "@" + domain;
    }
}
