package io.postbus.ingress.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a SCRAM-SHA-256 server stores for a user (RFC 5802 §3, RFC 7677): salt, iteration count,
 * {@code StoredKey = H(HMAC(SaltedPassword, "Client Key"))} and
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")}. Written in the PostgreSQL format
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (padded base64).
 *
 * <p>StoredKey allows an offline dictionary attack and ServerKey lets its holder impersonate the
 * server, so both stay out of {@link #toString()}. Accessors return copies.
 */
public record ScramCredentials(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    public static final String PREFIX = "SCRAM-SHA-256$";
    /** RFC 7677 §4: "the hash iteration-count announced by a server SHOULD be at least 4096". */
    public static final int MIN_ITERATIONS = 4096;
    /** Verifying PLAIN against SCRAM credentials runs Hi() on the server; cap what that can cost. */
    public static final int MAX_ITERATIONS = 10_000_000;
    static final int KEY_BYTES = 32;
    static final int MIN_SALT_BYTES = 8;

    private static final Pattern POSTGRES = Pattern.compile(
            "SCRAM-SHA-256\\$([1-9][0-9]{0,9}):([A-Za-z0-9+/]+={0,2})\\$([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})");

    public ScramCredentials {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "SCRAM iteration count must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + " (RFC 7677 §4)");
        }
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException("SCRAM salt shorter than " + MIN_SALT_BYTES + " bytes");
        }
        if (storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("SCRAM-SHA-256 StoredKey and ServerKey must be 32 bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Derives the credentials from a password (SASLprep'd first, RFC 5802 §2.2). */
    public static ScramCredentials derive(char[] password, byte[] salt, int iterations) {
        byte[] prepared = SaslPrep.passwordBytes(password);
        try {
            return fromPreparedPassword(prepared, salt, iterations);
        } finally {
            Arrays.fill(prepared, (byte) 0);
        }
    }

    /** Parses the PostgreSQL format; the exception message never contains the value. */
    public static ScramCredentials parse(String value) {
        Matcher m = POSTGRES.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "malformed SCRAM-SHA-256 credentials (expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>)");
        }
        int iterations;
        byte[][] decoded = new byte[3][];
        try {
            iterations = Integer.parseInt(m.group(1));
            for (int i = 0; i < 3; i++) {
                decoded[i] = Base64.getDecoder().decode(m.group(i + 2));
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included; its message would echo the value
            throw new IllegalArgumentException("SCRAM-SHA-256 credentials contain invalid base64 or numbers");
        }
        return new ScramCredentials(iterations, decoded[0], decoded[1], decoded[2]);
    }

    /** The PostgreSQL form, for writing a user file. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** Internal access without copying, for the mechanism's per-attempt arithmetic. */
    byte[] storedKeyRef() {
        return storedKey;
    }

    byte[] serverKeyRef() {
        return serverKey;
    }

    byte[] saltRef() {
        return salt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentials c && c.iterations == iterations && Arrays.equals(c.salt, salt)
                && MessageDigest.isEqual(c.storedKey, storedKey) && MessageDigest.isEqual(c.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "ScramCredentials[SCRAM-SHA-256, iterations=" + iterations + "]";
    }

    static ScramCredentials fromPreparedPassword(byte[] prepared, byte[] salt, int iterations) {
        byte[] saltedPassword = hi(prepared, salt, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        ScramCredentials credentials = new ScramCredentials(iterations, salt, sha256(clientKey), serverKey);
        Arrays.fill(saltedPassword, (byte) 0);
        Arrays.fill(clientKey, (byte) 0);
        Arrays.fill(serverKey, (byte) 0);
        return credentials;
    }

    /** RFC 5802 §2.2: Hi(str, salt, i), which is PBKDF2 with HMAC-SHA-256 and one output block. */
    static byte[] hi(byte[] password, byte[] salt, int iterations) {
        Mac mac = mac(password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty HMAC key is legal (RFC 2104) but SecretKeySpec refuses it; a single zero byte is
            // the same key once HMAC pads it to the block size.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JRE", e);
        }
    }
}
