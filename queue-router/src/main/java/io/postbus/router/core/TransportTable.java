package io.postbus.router.core;

import io.postbus.core.address.MailAddress;
import io.postbus.core.address.RecipientDelimiter;
import io.postbus.core.table.LookupTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * transport_maps lookups in transport(5)'s search order ("TABLE SEARCH ORDER"), as Postfix's
 * transport.c runs them for {@code user+ext@sub.example.com}:
 * <ol>
 *   <li>{@code user+ext@sub.example.com}, then {@code user@sub.example.com} (extension stripped);</li>
 *   <li>{@code sub.example.com}, then {@code .example.com}, then {@code .com}: a {@code .domain} entry
 *       matches every subdomain, since transport_maps is not in parent_domain_matches_subdomains;</li>
 *   <li>{@code *}, the wild-card.</li>
 * </ol>
 * Each key is tried in every table of the list before the next key (maps_find(3)). There is no
 * lookup by local part alone, unlike virtual(5).
 */
public final class TransportTable {
    private final List<LookupTable> tables;
    private final RecipientDelimiter delimiter;

    public TransportTable(List<LookupTable> tables, RecipientDelimiter delimiter) {
        this.tables = List.copyOf(tables);
        this.delimiter = Objects.requireNonNull(delimiter, "delimiter");
    }

    /** A matching entry: the key that matched, its value and the table it is in. */
    public record Match(String key, String value, String table) {
        public TransportEntry entry() {
            return TransportEntry.parse(value);
        }
    }

    public boolean isEmpty() {
        return tables.isEmpty();
    }

    public Optional<Match> find(MailAddress address) {
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        for (String key : searchOrder(address)) {
            for (LookupTable t : tables) {
                Optional<String> value = t.get(key);
                if (value.isPresent()) {
                    return Optional.of(new Match(key, value.get(), t.name()));
                }
            }
        }
        return Optional.empty();
    }

    List<String> searchOrder(MailAddress address) {
        List<String> keys = new ArrayList<>();
        String domain = address.domain();
        keys.add(address.toString());
        delimiter.split(address.localPart()).ifPresent(s -> keys.add(s.base() + "@" + domain));
        if (!domain.isEmpty()) {
            keys.add(domain);
            for (int dot = domain.indexOf('.', 1); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
                keys.add(domain.substring(dot));
            }
        }
        keys.add("*");
        return keys;
    }
}
