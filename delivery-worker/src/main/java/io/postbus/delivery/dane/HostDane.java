package io.postbus.delivery.dane;

import io.postbus.core.dns.TlsaRecord;
import java.util.List;
import java.util.Objects;

/** What DNSSEC says about DANE for one MX host (RFC 7672 §2.2). */
public sealed interface HostDane {

    /** DANE does not apply: something on the way is not DNSSEC-validated, or there are no TLSA records. */
    record NotApplicable(String reason) implements HostDane {
        public NotApplicable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Validated TLSA records exist but none is usable (§2.2: then TLS is still mandatory, unauthenticated). */
    record Unusable(String tlsaName, List<TlsaRecord> records) implements HostDane {
        public Unusable {
            Objects.requireNonNull(tlsaName, "tlsaName");
            records = List.copyOf(records);
        }
    }

    /** Validated usable TLSA records: the certificate must match them. */
    record Authenticate(DaneTrust trust) implements HostDane {
        public Authenticate {
            Objects.requireNonNull(trust, "trust");
        }
    }

    /** The TLSA lookup failed for a validated host name: possibly an attacker hiding the records (§2.2). */
    record LookupFailed(String detail) implements HostDane {
        public LookupFailed {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
