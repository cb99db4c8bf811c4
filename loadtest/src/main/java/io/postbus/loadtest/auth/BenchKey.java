package io.postbus.loadtest.auth;

import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.auth.dkim.keys.KeyFileException;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A fresh DKIM key made the way an operator makes one ({@link DkimKeyGenerator}, as opendkim-genkey):
 * the private key file, the key to sign with, and the zone text that publishes it.
 *
 * @param file     the PKCS#8 PEM file, for a KeyTable
 * @param signing  the key read back from that file
 * @param zoneText {@code selector._domainkey IN TXT (...)}, relative to the domain's $ORIGIN
 */
public record BenchKey(Path file, DkimSigningKey signing, String zoneText) {
    public static final int RSA_BITS = 2048;

    public BenchKey {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(zoneText, "zoneText");
    }

    /** Generates a key into {@code dir}/{@code selector}.pem (RSA keys have {@link #RSA_BITS} bits). */
    public static BenchKey generate(KeyType type, String domain, String selector, Path dir) throws IOException {
        Path file = dir.resolve(selector + ".pem");
        DkimKeyGenerator.GeneratedKey key = new DkimKeyGenerator().generate(type, RSA_BITS, domain, selector, file);
        try {
            return new BenchKey(file, DkimSigningKey.of(domain, selector, PrivateKeyFiles.read(file)), key.zoneText());
        } catch (KeyFileException e) {
            throw new IllegalStateException("the key just written cannot be read back: " + file, e);
        }
    }
}
