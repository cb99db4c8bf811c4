package io.postbus.auth.dkim.keys;

import io.postbus.auth.dkim.DkimKeys;
import io.postbus.auth.dkim.KeyType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Makes a new DKIM key pair, as {@code opendkim-genkey} does (RSA) and {@code dknewkey} (Ed25519): writes the
 * private key as PKCS#8 PEM readable by its owner only (0600), and returns the TXT record to publish, in
 * the zone-file form opendkim-genkey prints.
 */
public final class DkimKeyGenerator {
    /** RFC 8301 §3.2: signers MUST use at least 1024 bits and SHOULD use 2048. */
    public static final int DEFAULT_RSA_BITS = 2048;
    private static final int MIN_RSA_BITS = 1024;
    /** A DNS character-string holds at most 255 octets (RFC 1035 §3.3). */
    private static final int MAX_STRING = 255;

    /**
     * The outcome of one generation.
     *
     * @param privateKeyFile where the private key was written
     * @param txtValue       the key record, "v=DKIM1; ...; p=..." (what a DNS API wants)
     * @param zoneText       the record as opendkim-genkey prints it, strings of at most 255 characters
     */
    public record GeneratedKey(Path privateKeyFile, String txtValue, String zoneText) {
        public GeneratedKey {
            Objects.requireNonNull(privateKeyFile, "privateKeyFile");
            Objects.requireNonNull(txtValue, "txtValue");
            Objects.requireNonNull(zoneText, "zoneText");
        }
    }

    private final SecureRandom random;

    public DkimKeyGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public DkimKeyGenerator() {
        this(new SecureRandom());
    }

    /**
     * @param rsaBits ignored for Ed25519
     * @throws FileAlreadyExistsException the file exists: a key is never overwritten (pick a new selector)
     * @throws IOException                the file could not be written
     */
    public GeneratedKey generate(KeyType type, int rsaBits, String domain, String selector, Path privateKeyFile)
            throws IOException {
        Objects.requireNonNull(type, "type");
        if (type == KeyType.RSA && rsaBits < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA keys need at least " + MIN_RSA_BITS + " bits (RFC 8301)");
        }
        KeyPair pair = keyPair(type, rsaBits);
        writePrivateKey(privateKeyFile, pair.getPrivate().getEncoded());
        byte[] publicBytes = type == KeyType.RSA ? pair.getPublic().getEncoded() : DkimKeys.ed25519Raw(pair.getPublic());
        String p = Base64.getEncoder().encodeToString(publicBytes);
        String head = type == KeyType.RSA ? "v=DKIM1; h=sha256; k=rsa; " : "v=DKIM1; k=ed25519; ";
        return new GeneratedKey(privateKeyFile, head + "p=" + p, zoneText(head, "p=" + p, domain, selector));
    }

    /** {@code sel._domainkey IN TXT ( "v=DKIM1; ..." "p=..." ) ; ----- DKIM key sel for domain}. */
    static String zoneText(String head, String p, String domain, String selector) {
        List<String> strings = new ArrayList<>();
        strings.add(head);
        for (int i = 0; i < p.length(); i += MAX_STRING - 3) {
            strings.add(p.substring(i, Math.min(p.length(), i + MAX_STRING - 3)));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(selector).append("._domainkey\tIN\tTXT\t( ");
        for (int i = 0; i < strings.size(); i++) {
            sb.append(i == 0 ? "" : "\n\t  ").append('"').append(strings.get(i)).append('"');
        }
        sb.append(" )  ; ----- DKIM key ").append(selector).append(" for ").append(domain).append('\n');
        return sb.toString();
    }

    private KeyPair keyPair(KeyType type, int rsaBits) {
        try {
            if (type == KeyType.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(rsaBits, random);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(255, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime generates RSA and Ed25519 keys", e);
        }
    }

    /** Created with mode 0600 from the start, so the key is never readable by others, even briefly. */
    private static void writePrivateKey(Path file, byte[] pkcs8) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file, options, attributes))) {
            out.write(pem.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
