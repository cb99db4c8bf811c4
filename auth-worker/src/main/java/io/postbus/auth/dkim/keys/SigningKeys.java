package io.postbus.auth.dkim.keys;

import io.postbus.auth.dkim.DkimSignature;
import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of OpenDKIM-style signing configuration: a {@link KeyTable}, a {@link SigningTable}
 * and whether several matching entries all sign (OpenDKIM's MultipleSignatures). The worker holds the current
 * snapshot and swaps in {@link #reload()}'s result when the files change; a failed reload leaves the old
 * snapshot in force and says which file is wrong.
 */
public final class SigningKeys {

    /**
     * @param keyTable           the KeyTable dataset
     * @param signingTable       the SigningTable dataset
     * @param multipleSignatures every matching SigningTable entry signs, not just the first
     */
    public record Config(TableSource keyTable, TableSource signingTable, boolean multipleSignatures) {
        public Config {
            Objects.requireNonNull(keyTable, "keyTable");
            Objects.requireNonNull(signingTable, "signingTable");
        }
    }

    private final Config config;
    private final KeyTable keyTable;
    private final SigningTable signingTable;

    private SigningKeys(Config config, KeyTable keyTable, SigningTable signingTable) {
        this.config = config;
        this.keyTable = keyTable;
        this.signingTable = signingTable;
    }

    /**
     * Reads both tables and every key they name.
     *
     * @throws TableFormatException a table is unreadable or malformed, or the SigningTable names a key the
     *                              KeyTable lacks
     * @throws KeyFileException     a key file is missing, unreadable or not a usable key
     */
    public static SigningKeys load(Config config) throws TableFormatException, KeyFileException {
        KeyTable keys = KeyTable.load(config.keyTable());
        SigningTable signing = SigningTable.load(config.signingTable());
        for (SigningTable.Entry e : signing.entries()) {
            if (keys.lookup(e.keyName()).isEmpty()) {
                throw new TableFormatException(config.signingTable().path(), e.line(),
                        "key name " + e.keyName() + " is not in the KeyTable " + config.keyTable().path());
            }
        }
        return new SigningKeys(config, keys, signing);
    }

    /** A fresh snapshot from the same files; this one is unchanged whatever happens. */
    public SigningKeys reload() throws TableFormatException, KeyFileException {
        return load(config);
    }

    /** The key files this snapshot was read from (inline keys name their table). */
    public List<java.nio.file.Path> keyFiles() {
        return keyTable.entries().stream().map(KeyTable.Entry::keyFile).distinct().toList();
    }

    public Config config() {
        return config;
    }

    /** The keys that sign mail from {@code fromAddress}, in SigningTable order; empty when none applies. */
    public List<DkimSigningKey> keysFor(String fromAddress) {
        String address = fromAddress.strip().toLowerCase(Locale.ROOT);
        String fromDomain = address.substring(address.lastIndexOf('@') + 1);
        List<DkimSigningKey> out = new ArrayList<>();
        for (SigningTable.Entry e : signingTable.matches(address, config.multipleSignatures())) {
            KeyTable.Entry k = keyTable.lookup(e.keyName()).orElseThrow();
            String domain = k.domain().equals("%") ? fromDomain : k.domain();
            DkimSigningKey key = DkimSigningKey.of(domain, k.selector(), k.key());
            Optional<String> signer = e.signer().map(s -> s.replace("%", fromDomain));
            // opendkim.conf(5): the signer is left out of i= when it conflicts with d=.
            if (signer.isPresent() && DkimSignature.identityWithin(signer.get(), domain)) {
                key = key.withIdentity(signer);
            }
            out.add(key);
        }
        return List.copyOf(out);
    }

    /**
     * The address the SigningTable is keyed on: the addr-spec of the (first) From field, taken from its
     * angle brackets when it has them, else the field value without comments. Empty when there is no From.
     */
    public static Optional<String> fromAddress(RawMessage message) {
        List<HeaderField> from = message.headers("From");
        if (from.isEmpty()) {
            return Optional.empty();
        }
        String value = from.get(0).unfoldedValue();
        int lt = value.lastIndexOf('<');
        int gt = value.lastIndexOf('>');
        String address = lt >= 0 && gt > lt ? value.substring(lt + 1, gt) : value.replaceAll("\\([^)]*\\)", "");
        address = address.strip();
        return address.isEmpty() || address.indexOf('@') < 0 ? Optional.empty() : Optional.of(address);
    }
}
