package io.postbus.core.dns;

import java.util.Locale;
import java.util.Objects;

/**
 * One MX record. The exchange is lower-case, without the trailing dot; a "." exchange with
 * preference 0 is the null MX of RFC 7505 (the domain accepts no mail).
 */
public record MxRecord(int preference, String exchange) {
    public MxRecord {
        if (preference < 0 || preference > 65535) {
            throw new IllegalArgumentException("MX preference out of range: " + preference);
        }
        Objects.requireNonNull(exchange, "exchange");
        exchange = DnsNames.normalize(exchange);
    }

    /** RFC 7505 §3: a single MX with an empty (root) exchange means "no mail here". */
    public boolean isNullMx() {
        return exchange.isEmpty();
    }

    @Override
    public String toString() {
        return preference + " " + (exchange.isEmpty() ? "." : exchange.toLowerCase(Locale.ROOT));
    }
}
