package io.postbus.ingress.auth;

import java.util.Base64;

/** Fixtures shared by the mechanism tests: one user per kind of stored credential, cheap to verify. */
final class TestUsers {

    /** RFC 7677 §3: user "user", password "pencil", this salt, 4096 iterations. */
    static final byte[] RFC7677_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    /** Made once with {@code PasswordHashes.argon2id("correct horse".toCharArray(), 64, 1, 1)} (BC). */
    static final String ALICE_ARGON2 =
            "$argon2id$v=19$m=64,t=1,p=1$5qloeg/BszhJf+AzV84p3A$58hv73jk7ix3H8pWJVh9fPVwS5TQx/jq3QelPv9VB6I";
    /** Openwall crypt_blowfish test vector: password "U*U". */
    static final String BOB_BCRYPT = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    private TestUsers() {}

    /** alice: Argon2id "correct horse"; bob: bcrypt "U*U"; user: SCRAM "pencil" (the RFC 7677 vector). */
    static UserStore store() {
        String scram = ScramCredentials.derive("pencil".toCharArray(), RFC7677_SALT, 4096).format();
        try {
            return UserStore.parse("alice:" + ALICE_ARGON2 + "\nbob:" + BOB_BCRYPT + "\nuser:" + scram + "\n", "test");
        } catch (UserFileException e) {
            throw new AssertionError(e);
        }
    }
}
