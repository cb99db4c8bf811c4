package io.postbus.delivery.dane;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a DANE-authenticated connection to one MX host must match: its usable TLSA records and the
 * names a DANE-TA(2) chain's leaf may carry.
 *
 * @param tlsaName       where the records were found, e.g. "_25._tcp.mx.example.com"
 * @param records        at least one usable record (RFC 7672 §2.2: with none, DANE does not apply)
 * @param referenceNames the MX host name, and the next-hop domain when its MX RRset was secure
 *                       (RFC 7672 §3.2.2); lower case, no trailing dot
 */
public record DaneTrust(String tlsaName, List<UsableTlsa> records, List<String> referenceNames) {

    public DaneTrust {
        Objects.requireNonNull(tlsaName, "tlsaName");
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("DANE needs at least one usable TLSA record");
        }
        referenceNames = referenceNames.stream().map(DaneTrust::normalize).distinct().toList();
        if (referenceNames.isEmpty()) {
            throw new IllegalArgumentException("DANE needs at least one reference identifier");
        }
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
