package io.postbus.auth.dkim.keys;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An OpenDKIM KeyTable (opendkim.conf(5)): {@code keyname domain:selector:key}, where key is a path to a
 * private key file (it starts with "/", "./" or "../"; relative paths are taken from the table's directory)
 * or the key itself, PEM or base64 DER. A domain of "%" means the domain of the message's From address.
 * Every key is read when the table is loaded, so a bad key file is reported at (re)load, not on the first
 * message that needs it.
 */
public final class KeyTable {

    /**
     * @param keyName  the name the SigningTable refers to (a pattern when the table is a refile)
     * @param domain   d=, or "%" for the sender's domain
     * @param selector s=
     * @param key      the private key, already read
     * @param keyFile  where it was read from, or the table itself for an inline key
     */
    public record Entry(String keyName, String domain, String selector, PrivateKey key, Path keyFile) {
        public Entry {
            Objects.requireNonNull(keyName, "keyName");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyFile, "keyFile");
        }

        @Override
        public String toString() {
            return "KeyTable.Entry[" + keyName + " → " + domain + ":" + selector + ":" + keyFile + "]";
        }
    }

    private final TableSource source;
    private final List<Entry> entries;

    private KeyTable(TableSource source, List<Entry> entries) {
        this.source = source;
        this.entries = List.copyOf(entries);
    }

    public static KeyTable load(TableSource source) throws TableFormatException, KeyFileException {
        Path table = source.path();
        Path dir = table.toAbsolutePath().getParent();
        List<Entry> entries = new ArrayList<>();
        for (TableFile.Line line : TableFile.read(table)) {
            String[] parts = line.value().split(":", 3);
            if (parts.length < 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                throw new TableFormatException(table, line.number(), "expected domain:selector:keyfile after the key name");
            }
            String keyText = parts[2].strip();
            PrivateKey key;
            Path keyFile;
            if (keyText.startsWith("/") || keyText.startsWith("./") || keyText.startsWith("../")) {
                keyFile = dir == null ? Path.of(keyText) : dir.resolve(keyText).normalize();
                key = PrivateKeyFiles.read(keyFile);
            } else {
                keyFile = table;
                key = PrivateKeyFiles.parse(keyText, table);
            }
            entries.add(new Entry(line.key(), parts[0].strip(), parts[1].strip(), key, keyFile));
        }
        return new KeyTable(source, entries);
    }

    /** The entry for a key name: an exact match, or with a refile the first pattern that matches. */
    public Optional<Entry> lookup(String keyName) {
        for (Entry e : entries) {
            boolean match = source.patterns() ? TableFile.wildcardMatches(e.keyName(), keyName) : e.keyName().equals(keyName);
            if (match) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public List<Entry> entries() {
        return entries;
    }

    public TableSource source() {
        return source;
    }
}
