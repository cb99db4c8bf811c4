package io.postbus.ingress.tls;

import java.util.Objects;

/**
 * Something about a certificate that is servable but deserves an operator's attention. Returned
 * with the certificate rather than logged where it is found, so the caller decides where it goes
 * (start-up log, health endpoint, metrics).
 */
public record CertificateWarning(Kind kind, String message) {

    public enum Kind {
        /** The certificate expires within {@link CertificateSource#EXPIRY_WARNING}: renewal is overdue. */
        EXPIRES_SOON,
        /**
         * A lone certificate issued by someone else: clients that lack the intermediate cannot verify
         * it (typically certbot's {@code cert.pem} configured where {@code fullchain.pem} belongs).
         */
        INCOMPLETE_CHAIN,
        /** A certificate in the chain was not issued by the one after it: wrong order or a stray certificate. */
        CHAIN_OUT_OF_ORDER
    }

    public CertificateWarning {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
