package io.postbus.ingress.auth;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Makes the hash half of a user-file line, for the CLI. Passwords are SASLprep'd first, as
 * verification does (see {@link SaslPrep}).
 *
 * <p>Argon2id defaults are OWASP's Password Storage Cheat Sheet minimum for Argon2id: m=19456 KiB
 * (19 MiB), t=2, p=1, with a 16-byte salt and a 32-byte tag. With Bouncy Castle's pure-Java
 * Argon2 that is about 40 ms of one core per check (measured on the build machine) and 19 MiB
 * per check in flight: enough to make offline guessing of a stolen file expensive while a
 * submission server still takes a burst of logins. Raise m (preferred) or t
 * with {@link #argon2id(char[], int, int, int)} where the hardware allows.
 */
public final class PasswordHashes {

    public static final int ARGON2_MEMORY_KIB = 19_456;
    public static final int ARGON2_ITERATIONS = 2;
    public static final int ARGON2_PARALLELISM = 1;
    /** RFC 9106 §3.1 recommends 16 bytes of salt; PostgreSQL uses 16 for SCRAM too. */
    public static final int SALT_BYTES = 16;
    public static final int ARGON2_HASH_BYTES = 32;
    /** PostgreSQL's default and RFC 7677's minimum. */
    public static final int SCRAM_DEFAULT_ITERATIONS = ScramCredentials.MIN_ITERATIONS;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashes() {}

    /** {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} with a fresh random salt. */
    public static String argon2id(String password) {
        char[] chars = password.toCharArray();
        try {
            return argon2id(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    public static String argon2id(char[] password) {
        return argon2id(password, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM);
    }

    /** Argon2id with explicit cost; the same bounds as loading a user file apply. */
    public static String argon2id(char[] password, int memoryKiB, int iterations, int parallelism) {
        byte[] prepared = prepare(password);
        try {
            byte[] salt = Argon2idHash.randomBytes(RANDOM, SALT_BYTES);
            // Validate the parameters before spending the memory, and with the user file's rules.
            new Argon2idHash(memoryKiB, iterations, parallelism, salt, new byte[ARGON2_HASH_BYTES]);
            byte[] tag = Argon2idHash.derive(prepared, salt, memoryKiB, iterations, parallelism, ARGON2_HASH_BYTES);
            return new Argon2idHash(memoryKiB, iterations, parallelism, salt, tag).format();
        } finally {
            Arrays.fill(prepared, (byte) 0);
        }
    }

    /** {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} with a fresh random salt. */
    public static String scramSha256(String password, int iterations) {
        char[] chars = password.toCharArray();
        try {
            return scramSha256(chars, iterations);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    public static String scramSha256(char[] password, int iterations) {
        byte[] prepared = prepare(password);
        try {
            return ScramCredentials.fromPreparedPassword(prepared, Argon2idHash.randomBytes(RANDOM, SALT_BYTES), iterations)
                    .format();
        } finally {
            Arrays.fill(prepared, (byte) 0);
        }
    }

    /** Our default Argon2id parameters with random bytes, as the decoy template of a store with no entries. */
    static PasswordHash defaultArgon2idTemplate() {
        return new Argon2idHash(ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM,
                Argon2idHash.randomBytes(RANDOM, SALT_BYTES), Argon2idHash.randomBytes(RANDOM, ARGON2_HASH_BYTES));
    }

    /** Passwords that no mechanism could ever send are refused here rather than stored uselessly. */
    private static byte[] prepare(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        if (Utf8.containsNul(password)) {
            throw new IllegalArgumentException("password must not contain NUL (RFC 4616 §2 cannot carry it)");
        }
        byte[] prepared = SaslPrep.passwordBytes(password);
        if (prepared.length == 0) {
            throw new IllegalArgumentException("password is empty after SASLprep");
        }
        return prepared;
    }
}
