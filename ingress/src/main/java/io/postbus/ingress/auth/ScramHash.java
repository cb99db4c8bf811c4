package io.postbus.ingress.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * SCRAM credentials used as a password verifier, so a SCRAM user can also log in with PLAIN or
 * LOGIN: recompute StoredKey from the password and compare (what PostgreSQL does for password
 * authentication against a SCRAM secret).
 */
record ScramHash(ScramCredentials credentials) implements PasswordHash {

    @Override
    public boolean matches(byte[] password) {
        ScramCredentials candidate = ScramCredentials.fromPreparedPassword(password, credentials.saltRef(),
                credentials.iterations());
        return MessageDigest.isEqual(candidate.storedKeyRef(), credentials.storedKeyRef());
    }

    @Override
    public PasswordHash decoy(SecureRandom random) {
        byte[] salt = Argon2idHash.randomBytes(random, credentials.saltRef().length);
        return new ScramHash(new ScramCredentials(credentials.iterations(), salt,
                Argon2idHash.randomBytes(random, ScramCredentials.KEY_BYTES),
                Argon2idHash.randomBytes(random, ScramCredentials.KEY_BYTES)));
    }

    @Override
    public String costClass() {
        return "scram-sha-256 i=" + credentials.iterations();
    }

    @Override
    public String toString() {
        return "ScramHash[" + credentials + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramHash h && h.credentials.equals(credentials);
    }

    @Override
    public int hashCode() {
        return credentials.hashCode();
    }
}
