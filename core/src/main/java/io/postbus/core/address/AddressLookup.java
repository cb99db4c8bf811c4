package io.postbus.core.address;

import io.postbus.core.table.LookupTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Postfix's mail_addr_find(3) with its default strategy, the search order of virtual(5) and
 * canonical(5). For {@code user+ext@domain} the keys are tried in this order until one matches:
 * <ol>
 *   <li>{@code user+ext@domain}</li>
 *   <li>{@code user@domain} (extension unmatched)</li>
 *   <li>{@code user+ext}, then {@code user} — only when the domain is myorigin or in mydestination</li>
 *   <li>{@code @domain}</li>
 * </ol>
 * An unqualified address matches only itself (with and without its extension). Each key is tried
 * in every table of the list before the next key, as maps_find(3) does.
 */
public final class AddressLookup {
    private final RecipientDelimiter delimiter;
    private final Predicate<String> localDomain;

    /** @param localDomain whether the bare local part is a key for this domain (myorigin, mydestination) */
    public AddressLookup(RecipientDelimiter delimiter, Predicate<String> localDomain) {
        this.delimiter = Objects.requireNonNull(delimiter, "delimiter");
        this.localDomain = Objects.requireNonNull(localDomain, "localDomain");
    }

    public static AddressLookup of(AddressClassifier classifier) {
        return new AddressLookup(classifier.config().recipientDelimiter(), classifier::isLocalForLookups);
    }

    /**
     * A successful lookup.
     *
     * @param extension the extension (delimiter included) that had to be cut off to find the key;
     *     empty when the key matched with the extension, or by {@code @domain}
     */
    public record Match(String key, String value, String table, Optional<String> extension) {}

    public Optional<Match> find(List<LookupTable> tables, MailAddress address) {
        for (Key key : keys(address)) {
            for (LookupTable table : tables) {
                Optional<String> value = table.get(key.text());
                if (value.isPresent()) {
                    return Optional.of(new Match(key.text(), value.get(), table.name(), Optional.ofNullable(key.extension())));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether any key in the search order is in any of the tables. */
    public boolean contains(List<LookupTable> tables, MailAddress address) {
        return find(tables, address).isPresent();
    }

    private record Key(String text, String extension) {}

    List<String> searchOrder(MailAddress address) {
        List<String> out = new ArrayList<>();
        for (Key k : keys(address)) {
            out.add(k.text());
        }
        return out;
    }

    private List<Key> keys(MailAddress address) {
        List<Key> keys = new ArrayList<>(5);
        Optional<RecipientDelimiter.Split> split = delimiter.split(address.localPart());
        String at = address.isQualified() ? "@" + address.domain() : "";
        keys.add(new Key(address.localPart() + at, null));
        split.ifPresent(s -> keys.add(new Key(s.base() + at, s.extension())));
        if (address.isQualified()) {
            if (localDomain.test(address.domain())) {
                keys.add(new Key(address.localPart(), null));
                split.ifPresent(s -> keys.add(new Key(s.base(), s.extension())));
            }
            keys.add(new Key(at, null));
        }
        return keys;
    }
}
