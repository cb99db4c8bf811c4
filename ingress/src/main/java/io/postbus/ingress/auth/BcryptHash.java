package io.postbus.ingress.auth;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A bcrypt verifier in the OpenBSD modular-crypt form {@code $2b$<cost>$<22 salt><31 hash>}.
 * Versions 2a, 2b and 2y are accepted (they differ only in bugs of old implementations with
 * 8-bit or over-long passwords); the broken 2x is refused. bcrypt reads at most 72 bytes of the
 * password and ignores the rest, as every implementation does.
 */
record BcryptHash(String encoded, String version, int cost) implements PasswordHash {

    private static final Pattern MCF = Pattern.compile("\\$(2[aby])\\$([0-9]{2})\\$[./A-Za-z0-9]{53}");
    static final int MIN_COST = 4;
    static final int MAX_COST = 31;

    BcryptHash {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be " + MIN_COST + ".." + MAX_COST);
        }
    }

    static boolean looksLikeBcrypt(String value) {
        return value.length() > 4 && value.charAt(0) == '$' && value.charAt(1) == '2' && value.charAt(3) == '$';
    }

    /** Parses the modular-crypt string; the exception message never contains it. */
    static BcryptHash parse(String value) {
        Matcher m = MCF.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "malformed bcrypt hash (expected $2a$, $2b$ or $2y$, a two-digit cost and 53 characters)");
        }
        return new BcryptHash(value, m.group(1), Integer.parseInt(m.group(2)));
    }

    @Override
    public boolean matches(byte[] password) {
        try {
            return OpenBSDBCrypt.checkPassword(encoded, password); // compares in constant time
        } catch (RuntimeException e) {
            return false; // a salt BC cannot decode; never reveal it, just refuse
        }
    }

    @Override
    public PasswordHash decoy(SecureRandom random) {
        byte[] password = Argon2idHash.randomBytes(random, 16);
        return new BcryptHash(OpenBSDBCrypt.generate(version, password, Argon2idHash.randomBytes(random, 16), cost),
                version, cost);
    }

    @Override
    public String costClass() {
        return "bcrypt cost=" + cost;
    }

    @Override
    public String toString() {
        return "BcryptHash[$" + version + "$, cost=" + cost + "]";
    }
}
