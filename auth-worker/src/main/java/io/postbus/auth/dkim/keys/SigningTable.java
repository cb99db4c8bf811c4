package io.postbus.auth.dkim.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An OpenDKIM SigningTable (opendkim.conf(5)): which KeyTable entries sign mail from which From address.
 * Each line is {@code pattern keyname [signer]}; the optional signer becomes i= ("%" in it is replaced by
 * the From domain).
 *
 * <p>With a refile the patterns are wildcards tried in file order. Otherwise the keys are looked up exactly
 * in OpenDKIM's order: {@code user@host}, {@code host}, {@code user@.parent} for each parent domain,
 * {@code .parent} for each parent domain, {@code user@*}, {@code *}. A key may appear on several lines.
 * Only the first match signs, unless multiple signatures are wanted, and then every match does, in that
 * order: two selectors during a rotation, or an RSA and an Ed25519 key.
 */
public final class SigningTable {

    /** One line of the table. */
    public record Entry(String pattern, String keyName, Optional<String> signer, int line) {
        public Entry {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(keyName, "keyName");
            Objects.requireNonNull(signer, "signer");
        }
    }

    private final TableSource source;
    private final List<Entry> entries;

    private SigningTable(TableSource source, List<Entry> entries) {
        this.source = source;
        this.entries = List.copyOf(entries);
    }

    public static SigningTable load(TableSource source) throws TableFormatException {
        List<Entry> entries = new ArrayList<>();
        for (TableFile.Line line : TableFile.read(source.path())) {
            String[] values = line.value().split("\\s+");
            if (values.length > 2) {
                throw new TableFormatException(source.path(), line.number(), "expected a key name and at most a signer");
            }
            Optional<String> signer = values.length == 2 ? Optional.of(values[1]) : Optional.empty();
            entries.add(new Entry(line.key(), values[0], signer, line.number()));
        }
        return new SigningTable(source, entries);
    }

    /** The entries that apply to {@code address}, best first; at most one unless {@code all}. */
    public List<Entry> matches(String address, boolean all) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        List<Entry> out = new ArrayList<>();
        if (source.patterns()) {
            for (Entry e : entries) {
                if (TableFile.wildcardMatches(e.pattern(), a) && add(out, e, all)) {
                    return out;
                }
            }
            return out;
        }
        for (String key : lookupOrder(a)) {
            for (Entry e : entries) {
                if (e.pattern().toLowerCase(Locale.ROOT).equals(key) && add(out, e, all)) {
                    return out;
                }
            }
        }
        return out;
    }

    public List<Entry> entries() {
        return entries;
    }

    public TableSource source() {
        return source;
    }

    /** Adds and says whether to stop: after the first match unless all are wanted. */
    private static boolean add(List<Entry> out, Entry e, boolean all) {
        out.add(e);
        return !all;
    }

    /** opendkim.conf(5), SigningTable: the keys tried for a non-regex table, in order. */
    static List<String> lookupOrder(String address) {
        int at = address.lastIndexOf('@');
        String user = at < 0 ? "" : address.substring(0, at);
        String host = at < 0 ? address : address.substring(at + 1);
        List<String> keys = new ArrayList<>();
        keys.add(user + "@" + host);
        keys.add(host);
        List<String> parents = new ArrayList<>();
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            parents.add(host.substring(dot));
        }
        for (String parent : parents) {
            keys.add(user + "@" + parent);
        }
        keys.addAll(parents);
        keys.add(user + "@*");
        keys.add("*");
        return keys;
    }
}
