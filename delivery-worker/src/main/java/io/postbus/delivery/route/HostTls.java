package io.postbus.delivery.route;

import io.postbus.delivery.dane.DaneTrust;
import io.postbus.delivery.smtp.TlsPolicy;
import java.util.Objects;
import java.util.Optional;

/** The TLS one MX host of a next hop gets in this attempt: a level to connect with, or not at all. */
public sealed interface HostTls {

    /**
     * @param level one of NONE, MAY, ENCRYPT, VERIFY: what the SMTP client is told
     * @param dane  present when the certificate must match these TLSA records instead of the PKIX
     *              trust anchors (level is then VERIFY: mandatory TLS, a mismatch ends the handshake)
     * @param note  for the event detail; empty when the hop's level applies unchanged
     */
    record Connect(TlsPolicy level, Optional<DaneTrust> dane, String note) implements HostTls {
        public Connect {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(dane, "dane");
            Objects.requireNonNull(note, "note");
            if (level.isDane()) {
                throw new IllegalArgumentException("a host gets a resolved level, not " + level);
            }
            if (dane.isPresent() && level != TlsPolicy.VERIFY) {
                throw new IllegalArgumentException("DANE authentication is mandatory TLS: level VERIFY, not " + level);
            }
        }

        static Connect at(TlsPolicy level) {
            return new Connect(level, Optional.empty(), "");
        }

        /**
         * The level connections are cached under: DANE for a DANE-authenticated one, so that a
         * connection authenticated some other way is never reused where DANE is required.
         */
        public TlsPolicy cacheLevel() {
            return dane.isPresent() ? TlsPolicy.DANE : level;
        }
    }

    /** Do not connect to this host (RFC 7672 §2.2: DANE required but not possible); deferred 4.7.5. */
    record Skip(String detail) implements HostTls {
        public Skip {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
