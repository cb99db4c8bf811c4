package io.postbus.delivery.dane;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a server's certificate chain matched the TLSA records (RFC 7672 §3).
 *
 * @param result  what happened
 * @param matched the record that authenticated the server; present exactly when authenticated
 * @param detail  one line for logs and events
 */
public record DaneVerdict(Result result, Optional<UsableTlsa> matched, String detail) {

    /** Named after the RFC 7672 §3.1 cases. */
    public enum Result {
        /** A DANE-EE(3) record matched the server's certificate or key (§3.1.1). */
        DANE_EE_MATCHED,
        /** A DANE-TA(2) record matched a chain certificate, the leaf chains to it and names a reference identifier (§3.1.2). */
        DANE_TA_MATCHED,
        /** A DANE-TA(2) record matched, but the chain from it to the leaf does not validate (§3.1.2). */
        DANE_TA_CHAIN_INVALID,
        /** A DANE-TA(2) chain validated, but the leaf names none of the reference identifiers (§3.2.2). */
        REFERENCE_IDENTIFIER_MISMATCH,
        /** No usable record matched anything in the chain. */
        NO_MATCHING_TLSA,
        /** The server presented no certificate. */
        NO_CERTIFICATE;

        public boolean authenticated() {
            return this == DANE_EE_MATCHED || this == DANE_TA_MATCHED;
        }
    }

    public DaneVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(matched, "matched");
        Objects.requireNonNull(detail, "detail");
        if (result.authenticated() != matched.isPresent()) {
            throw new IllegalArgumentException("a matched record is given exactly when authenticated: " + result);
        }
    }

    public boolean authenticated() {
        return result.authenticated();
    }
}
