package io.postbus.delivery.dane;

import io.postbus.core.dns.TlsaRecord;
import io.postbus.delivery.dane.TlsaParameters.CertificateUsage;
import io.postbus.delivery.dane.TlsaParameters.MatchingType;
import io.postbus.delivery.dane.TlsaParameters.Selector;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLSA record an SMTP client can use (RFC 7672 §3.1): usage DANE-TA(2) or DANE-EE(3), a known
 * selector and matching type, and a digest of the right length.
 */
public record UsableTlsa(CertificateUsage usage, Selector selector, MatchingType matchingType, TlsaRecord record) {

    public UsableTlsa {
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(matchingType, "matchingType");
        Objects.requireNonNull(record, "record");
    }

    /**
     * The record if usable: PKIX-TA(0) and PKIX-EE(1) are not (RFC 7672 §3.1.3), nor are unknown
     * parameters (RFC 6698 §4.1), nor a digest whose length does not fit its matching type (it can
     * never match; RFC 7671 §10.1.2 warns about truncated records).
     */
    public static Optional<UsableTlsa> of(TlsaRecord r) {
        Optional<CertificateUsage> usage = CertificateUsage.of(r.usage())
                .filter(u -> u == CertificateUsage.DANE_TA || u == CertificateUsage.DANE_EE);
        Optional<Selector> selector = Selector.of(r.selector());
        Optional<MatchingType> matching = MatchingType.of(r.matchingType())
                .filter(m -> m == MatchingType.FULL || m.length == r.data().length);
        if (usage.isEmpty() || selector.isEmpty() || matching.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UsableTlsa(usage.get(), selector.get(), matching.get(), r));
    }

    /** The usable ones among the records; an empty result means "as if there were no TLSA" (RFC 7672 §2.2). */
    public static List<UsableTlsa> usable(List<TlsaRecord> records) {
        return records.stream().map(UsableTlsa::of).flatMap(Optional::stream).toList();
    }

    /** "DANE-EE(3) SPKI(1) SHA2-256(1) 8cb0fc6c5275…": short enough for an event. */
    public String describe() {
        String text = record.toString();
        String hex = text.substring(text.lastIndexOf(' ') + 1);
        return usage.label() + " " + selector.name() + "(" + selector.code + ") "
                + matchingType.name().replace('_', '-') + "(" + matchingType.code + ") "
                + (hex.length() > 16 ? hex.substring(0, 16) + "…" : hex);
    }
}
