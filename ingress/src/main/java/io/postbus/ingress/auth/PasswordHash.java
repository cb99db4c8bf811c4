package io.postbus.ingress.auth;

import java.security.SecureRandom;

/** A stored password verifier from the user file. Implementations never print their bytes. */
sealed interface PasswordHash permits Argon2idHash, BcryptHash, ScramHash {

    /** Whether {@code password} (SASLprep'd UTF-8) matches, compared in constant time. */
    boolean matches(byte[] password);

    /**
     * A verifier with the same algorithm and cost and a random salt that no password matches:
     * checking an unknown user against it costs what checking a real one does.
     */
    PasswordHash decoy(SecureRandom random);

    /** Algorithm and cost parameters, e.g. {@code "argon2id m=65536 t=3 p=1"}; no secret. */
    String costClass();
}
