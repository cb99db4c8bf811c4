package io.postbus.delivery.route;

import io.postbus.core.table.LookupTable;
import java.util.List;
import java.util.Optional;

/**
 * The first value for any of {@code keys} in {@code tables}, Postfix's way for a list of maps:
 * tables in order, and in each the keys from most to least specific.
 *
 * @param value the table's value
 * @param key   the key that matched, for logs and events
 * @param table the table's name
 */
record TableHit(String value, String key, String table) {

    static Optional<TableHit> first(List<LookupTable> tables, List<String> keys) {
        for (LookupTable table : tables) {
            for (String key : keys) {
                Optional<String> value = table.get(key);
                if (value.isPresent()) {
                    return Optional.of(new TableHit(value.get(), key, table.name()));
                }
            }
        }
        return Optional.empty();
    }
}
