package io.postbus.ingress.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * An Argon2id (RFC 9106) verifier in the PHC string format the reference implementation writes:
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, salt and hash in unpadded
 * standard base64. Only version 19 (0x13, the RFC 9106 version) and only the id variant.
 */
record Argon2idHash(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) implements PasswordHash {

    static final String PREFIX = "$argon2id$";
    /** Each verification allocates {@code m} KiB; 1 GiB caps what one typo in the user file can cost. */
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 1000;
    static final int MAX_PARALLELISM = 64;
    static final int MIN_SALT_BYTES = 8;   // RFC 9106 §3.1
    static final int MIN_HASH_BYTES = 16;  // shorter tags are legal but weaken the verifier for nothing
    static final int MAX_HASH_BYTES = 1024;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(0|[1-9][0-9]{0,9}),t=(0|[1-9][0-9]{0,9}),p=(0|[1-9][0-9]{0,9})"
                    + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    Argon2idHash {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2id parallelism p must be 1.." + MAX_PARALLELISM);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id memory m must be 8*p.." + MAX_MEMORY_KIB + " KiB");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2id passes t must be 1.." + MAX_ITERATIONS);
        }
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException("Argon2id salt shorter than " + MIN_SALT_BYTES + " bytes");
        }
        if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
            throw new IllegalArgumentException("Argon2id hash must be " + MIN_HASH_BYTES + ".." + MAX_HASH_BYTES + " bytes");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** Parses a PHC string; the exception message never contains the string itself. */
    static Argon2idHash parse(String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "malformed Argon2id PHC string (expected $argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>, unpadded base64)");
        }
        try {
            return new Argon2idHash(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), decode(m.group(4)), decode(m.group(5)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Argon2id parameter out of range");
        }
    }

    static byte[] derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    String format() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public boolean matches(byte[] password) {
        byte[] computed = derive(password, salt, memoryKiB, iterations, parallelism, hash.length);
        boolean equal = MessageDigest.isEqual(computed, hash);
        Arrays.fill(computed, (byte) 0);
        return equal;
    }

    @Override
    public PasswordHash decoy(SecureRandom random) {
        return new Argon2idHash(memoryKiB, iterations, parallelism, randomBytes(random, salt.length),
                randomBytes(random, hash.length));
    }

    @Override
    public String costClass() {
        return "argon2id m=" + memoryKiB + " t=" + iterations + " p=" + parallelism;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argon2idHash h && h.memoryKiB == memoryKiB && h.iterations == iterations
                && h.parallelism == parallelism && Arrays.equals(h.salt, salt) && MessageDigest.isEqual(h.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "Argon2idHash[" + costClass() + "]";
    }

    static byte[] randomBytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] decode(String unpadded) {
        if (unpadded.length() % 4 == 1) {
            throw new IllegalArgumentException("Argon2id salt or hash is not valid base64");
        }
        try {
            return Base64.getDecoder().decode(unpadded);
        } catch (IllegalArgumentException e) { // its message would quote a character of the hash
            throw new IllegalArgumentException("Argon2id salt or hash is not valid base64");
        }
    }
}
