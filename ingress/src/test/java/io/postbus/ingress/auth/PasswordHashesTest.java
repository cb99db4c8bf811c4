package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The three stored formats against published vectors, and the hashes {@link PasswordHashes} makes. */
class PasswordHashesTest {

    @Test
    void argon2idVerifiesTheReferenceImplementationsVectors() {
        // P-H-C/phc-winner-argon2 src/test.c, Argon2id, version 0x13 (RFC 9106), password "password",
        // salt "somesalt". m=65536 is the realistic-cost case (about 0.1-0.3 s here).
        assertMatches("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "password");
        assertMatches("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "password");
        assertMatches("$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", "password");
        assertThat(matches("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "passworD")).isFalse();
    }

    @Test
    void argon2idVerifiesAStringBouncyCastleMadeOnce() {
        // Generated once with PasswordHashes.argon2id("correct horse".toCharArray(), 64, 1, 1): keeps
        // strings written by earlier releases verifiable if parsing or encoding ever changes.
        assertMatches(TestUsers.ALICE_ARGON2, "correct horse");
        assertThat(matches(TestUsers.ALICE_ARGON2, "correct horse ")).isFalse();
    }

    @Test
    void argon2idDefaultsAreOwaspsMinimumAndRoundTrip() {
        String phc = PasswordHashes.argon2id("Tr0ub4dor&3");
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertMatches(phc, "Tr0ub4dor&3");
        assertThat(matches(phc, "Tr0ub4dor&4")).isFalse();
        assertThat(PasswordHashes.argon2id("Tr0ub4dor&3".toCharArray(), 64, 1, 1)).as("fresh salt each time")
                .isNotEqualTo(PasswordHashes.argon2id("Tr0ub4dor&3".toCharArray(), 64, 1, 1));
    }

    @Test
    void argon2idRefusesOtherVersionsAndBadParameters() {
        for (String bad : new String[] {
                "$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", // version 0x10
                "$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",      // no version
                "$argon2id$v=19$t=2,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", // order
                "$argon2id$v=19$m=4,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",   // m < 8p
                "$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", // t = 0
                "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",      // 4-byte salt
                "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR",                               // 9-byte tag
                "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ=$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", // padding
                "$argon2id$v=19$m=2097152,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", // 2 GiB
        }) {
            assertThatThrownBy(() -> Argon2idHash.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("c29tZXNhbHQ").hasMessageNotContaining("nf65EOgLrQMR");
        }
    }

    @Test
    void bcryptVerifiesTheOpenwallVectors() {
        // Openwall crypt_blowfish wrapper.c test vectors (the ASCII ones; the 8-bit ones are not UTF-8).
        assertMatches("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U");
        assertMatches("$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", "U*U*");
        assertMatches("$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", "U*U*U");
        assertMatches("$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", "");
        String long72 = "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
        String password = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored";
        assertMatches(long72, password);
        assertMatches(long72, password.substring(0, 72));
        assertThat(matches(long72, password.substring(0, 71))).isFalse();
        // 2b and 2y differ from 2a only for 8-bit or over-255-byte passwords, so the ASCII vectors carry over.
        assertMatches("$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U");
        assertMatches("$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U");
        assertThat(matches("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*V")).isFalse();
    }

    @Test
    void bcryptRefusesTheBuggy2xAndBadCosts() {
        assertThatThrownBy(() -> BcryptHash.parse("$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BcryptHash.parse("$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"))
                .hasMessageContaining("cost");
        assertThatThrownBy(() -> BcryptHash.parse("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scramCredentialsMatchTheRfc7677ExampleAndRoundTrip() {
        // RFC 5802 §3 definitions checked against the RFC 7677 §3 ServerSignature: HMAC(ServerKey, AuthMessage).
        ScramCredentials c = ScramCredentials.derive("pencil".toCharArray(), TestUsers.RFC7677_SALT, 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
                + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
                + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        assertThat(Base64.getEncoder().encodeToString(
                ScramCredentials.hmac(c.serverKey(), authMessage.getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        assertThat(ScramCredentials.parse(c.format())).isEqualTo(c);
        assertThat(c.format()).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");

        String made = PasswordHashes.scramSha256("pencil", 4096);
        assertThat(made).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=");
        assertMatches(made, "pencil");
        assertThat(matches(made, "pencil2")).isFalse();
    }

    @Test
    void scramRefusesTooFewIterationsAndShortKeys() {
        assertThatThrownBy(() -> PasswordHashes.scramSha256("pencil", 4095)).hasMessageContaining("RFC 7677");
        assertThatThrownBy(() -> ScramCredentials.parse("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:AAAA"))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> ScramCredentials.parse("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$x"))
                .hasMessageContaining("malformed");
    }

    @Test
    void refusesPasswordsNoMechanismCouldSend() {
        assertThatThrownBy(() -> PasswordHashes.argon2id("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PasswordHashes.argon2id("a\0b")).hasMessageContaining("NUL").hasMessageNotContaining("a\0b");
        assertThatThrownBy(() -> PasswordHashes.scramSha256("\u00AD", 4096)).as("empty after SASLprep")
                .hasMessageContaining("SASLprep");
    }

    @Test
    void hashingAndVerifyingAgreeOnSaslprep() throws Exception {
        // RFC 4013 §3: "I<U+00AD>X" and "IX" are the same password; NBSP is a space.
        UserStore store = UserStore.parse("u:" + PasswordHashes.argon2id("I\u00ADX pass".toCharArray(), 64, 1, 1), "t");
        assertThat(store.verifyPassword("u", "IX\u00A0pass")).isTrue();
        assertThat(store.verifyPassword("u", "\u2168 pass")).as("ROMAN NUMERAL NINE is IX under NFKC").isTrue();
    }

    private static void assertMatches(String hash, String password) {
        assertThat(matches(hash, password)).as("%s verifies", password).isTrue();
    }

    private static boolean matches(String hash, String password) {
        try {
            return UserStore.parse("someone:" + hash, "vector").verifyPassword("someone", password);
        } catch (UserFileException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
