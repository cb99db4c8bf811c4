package io.postbus.delivery.route;

import io.postbus.core.table.LookupTable;
import io.postbus.delivery.smtp.SaslCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Client credentials for SMTP AUTH from Postfix smtp_sasl_password_maps-style tables:
 * <pre>
 * [mail.isp.example]:587   user:password
 * relay.example.net        other:secret
 * </pre>
 * As Postfix's smtp_sasl_passwd_lookup does, the remote host name is looked up first (the MX or
 * relay host the connection goes to), then the next hop as routing wrote it: {@code [host]:port}
 * (and {@code [host]} for port 25) for a relay without MX lookup, else {@code domain:port} for a
 * port other than 25 and {@code domain}. There are no parent-domain keys: credentials are for one
 * server, never a family of them. The value is {@code user:password}, split at the first colon.
 *
 * <p>Tables are tried in order; in each, the keys in that order; the first hit wins.
 */
public final class SaslPasswordMap {

    /** A table entry for a connection. */
    public sealed interface Match {
        String key();

        String table();

        record Credentials(SaslCredentials credentials, String key, String table) implements Match {
            public Credentials {
                Objects.requireNonNull(credentials, "credentials");
            }
        }

        /** A value that is not user:password: the caller defers rather than sending mail unauthenticated. */
        record Invalid(String problem, String key, String table) implements Match {}
    }

    private final List<LookupTable> tables;

    public SaslPasswordMap(List<? extends LookupTable> tables) {
        this.tables = List.copyOf(tables);
    }

    public static SaslPasswordMap none() {
        return new SaslPasswordMap(List.of());
    }

    public boolean isEmpty() {
        return tables.isEmpty();
    }

    /** @param remoteHost the host name the connection goes to (an MX, or the relay host itself) */
    public Optional<Match> lookup(NextHop hop, String remoteHost) {
        return TableHit.first(tables, keys(hop, remoteHost)).map(h -> parse(h.value(), h.key(), h.table()));
    }

    static List<String> keys(NextHop hop, String remoteHost) {
        List<String> keys = new ArrayList<>();
        keys.add(remoteHost.toLowerCase(Locale.ROOT));
        for (String k : TlsPolicyMap.keys(hop)) {
            // The policy map's ".parent" keys match whole domains of hosts; a password is for one server.
            if (!k.startsWith(".") && !keys.contains(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    private static Match parse(String value, String key, String table) {
        try {
            return new Match.Credentials(SaslCredentials.parse(value), key, table);
        } catch (IllegalArgumentException e) {
            // The message never quotes the value: it holds a password.
            return new Match.Invalid(e.getMessage(), key, table);
        }
    }
}
