package io.postbus.delivery.route;

import io.postbus.core.table.LookupTable;
import io.postbus.delivery.smtp.TlsPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-destination TLS levels from Postfix smtp_tls_policy_maps-style tables:
 * <pre>
 * example.com             encrypt
 * example.net             dane-only
 * .example.org            may
 * [mx.example.net]:25     verify
 * </pre>
 * The key is the next hop as routing found it: a domain whose MX records are used (and, with a
 * leading dot, its subdomains), or a host in brackets that is connected to directly, with its
 * port. The value's first word is the level; Postfix attributes after it (match=, ciphers=,
 * protocols=) are accepted and ignored. A level Postbus does not have (secure, fingerprint)
 * is reported as {@link Match.Invalid}: the caller defers, as Postfix does for a broken policy
 * entry, rather than silently sending with less protection than the postmaster asked for.
 *
 * <p>Tables are tried in order; in each, the keys from most to least specific; the first hit wins.
 */
public final class TlsPolicyMap {

    /** A table entry for a next hop. */
    public sealed interface Match {
        /** The key that matched and the table it is in, for logs and events. */
        String key();

        String table();

        record Level(TlsPolicy level, String key, String table) implements Match {
            public Level {
                Objects.requireNonNull(level, "level");
            }
        }

        record Invalid(String value, String key, String table) implements Match {}
    }

    private final List<LookupTable> tables;

    public TlsPolicyMap(List<? extends LookupTable> tables) {
        this.tables = List.copyOf(tables);
    }

    public static TlsPolicyMap none() {
        return new TlsPolicyMap(List.of());
    }

    public boolean isEmpty() {
        return tables.isEmpty();
    }

    public Optional<Match> lookup(NextHop hop) {
        return TableHit.first(tables, keys(hop)).map(h -> parse(h.value(), h.key(), h.table()));
    }

    /**
     * The keys for a next hop, most specific first: {@code [host]:port} (and {@code [host]} for port
     * 25) without MX lookup; else {@code domain:port} for a port other than 25, {@code domain}, then
     * {@code .parent} for each parent domain (Postfix's ".domain" form, which matches subdomains only).
     */
    static List<String> keys(NextHop hop) {
        List<String> keys = new ArrayList<>();
        if (!hop.mxLookup()) {
            keys.add("[" + hop.host() + "]:" + hop.port());
            if (hop.port() == NextHop.SMTP_PORT) {
                keys.add("[" + hop.host() + "]");
            }
            return keys;
        }
        if (hop.port() != NextHop.SMTP_PORT) {
            keys.add(hop.host() + ":" + hop.port());
        }
        keys.add(hop.host());
        String d = hop.host();
        for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
            keys.add(d.substring(dot));
        }
        return keys;
    }

    private static Match parse(String value, String key, String table) {
        String level = value.strip().split("\\s+", 2)[0];
        return TlsPolicy.fromPostfixName(level).<Match>map(l -> new Match.Level(l, key, table))
                .orElseGet(() -> new Match.Invalid(value, key, table));
    }
}
