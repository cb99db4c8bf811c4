package io.postbus.delivery.dane;

import java.util.Optional;

/**
 * The three TLSA fields, as enums named with the RFC 7218 acronyms. A value not listed here is
 * unknown, and a record carrying one is unusable (RFC 6698 §4.1, RFC 7671 §4).
 */
public final class TlsaParameters {
    private TlsaParameters() {}

    /** The field's numeric value on the wire. */
    interface Coded {
        int code();
    }

    private static <E extends Coded> Optional<E> byCode(E[] values, int code) {
        for (E e : values) {
            if (e.code() == code) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** RFC 6698 §2.1.1, RFC 7218 §2.1. */
    public enum CertificateUsage implements Coded {
        /** Unusable in SMTP: there is no set of CAs MTAs agree on (RFC 7672 §3.1.3). */
        PKIX_TA(0),
        /** Unusable in SMTP, for the same reason (RFC 7672 §3.1.3). */
        PKIX_EE(1),
        /** A trust anchor in the chain; the leaf must chain to it and name the host (RFC 7672 §3.1.2). */
        DANE_TA(2),
        /** The server's own certificate or key; no name and no expiry check (RFC 7672 §3.1.1). */
        DANE_EE(3);

        final int code;

        CertificateUsage(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }

        static Optional<CertificateUsage> of(int code) {
            return byCode(values(), code);
        }

        /** "DANE-EE(3)", as RFC 7218 writes it. */
        public String label() {
            return name().replace('_', '-') + "(" + code + ")";
        }
    }

    /** RFC 6698 §2.1.2, RFC 7218 §2.2. */
    public enum Selector implements Coded {
        /** The full certificate, DER. */
        CERT(0),
        /** The SubjectPublicKeyInfo, DER. */
        SPKI(1);

        final int code;

        Selector(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }

        static Optional<Selector> of(int code) {
            return byCode(values(), code);
        }
    }

    /** RFC 6698 §2.1.3, RFC 7218 §2.3. */
    public enum MatchingType implements Coded {
        /** The selected content itself. */
        FULL(0, null, 0),
        SHA2_256(1, "SHA-256", 32),
        SHA2_512(2, "SHA-512", 64);

        final int code;
        /** The JDK MessageDigest name; null for FULL. */
        final String digest;
        /** The digest's length in octets; 0 for FULL. */
        final int length;

        MatchingType(int code, String digest, int length) {
            this.code = code;
            this.digest = digest;
            this.length = length;
        }

        @Override
        public int code() {
            return code;
        }

        static Optional<MatchingType> of(int code) {
            return byCode(values(), code);
        }
    }
}
