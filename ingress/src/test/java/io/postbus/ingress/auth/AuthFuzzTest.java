package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: no client data makes a mechanism throw, and no file text makes the user-file parser
 * throw anything but {@link UserFileException}. Inputs are built from fragments of the grammars
 * so that many get past the first checks.
 */
class AuthFuzzTest {

    private static final UserStore STORE = TestUsers.store(); // its decoy is cheap Argon2id (m=64)

    @Test
    void mechanismsNeverThrowOnClientData() {
        Random random = new Random(20260501);
        String[] scram = {"n", "y", "p", ",", ",,", "=", "a=", "n=", "r=", "m=", "c=", "p=", "s=", "=2C", "=3D",
                "user", "biws", "abc", "\0", "é", "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="};
        String[] plain = {"\0", "alice", "bob", "user", "correct horse", "U*U", "é", "a"};
        for (int i = 0; i < 20_000; i++) {
            SaslResult first = new ScramSha256Mechanism(STORE).start(build(random, scram));
            assertThat(first).isNotNull();
            ScramSha256Mechanism m = new ScramSha256Mechanism(STORE);
            if (m.start(build(random, new String[] {"n,,n=user,r=abc"})) instanceof SaslResult.Challenge) {
                assertThat(m.respond(build(random, scram))).isNotNull();
            }
        }
        for (int i = 0; i < 2_000; i++) {
            assertThat(new PlainMechanism(STORE).start(build(random, plain))).isNotInstanceOf(SaslResult.Challenge.class);
            LoginMechanism login = new LoginMechanism(STORE);
            if (login.start(build(random, plain)) instanceof SaslResult.Challenge) {
                assertThat(login.respond(build(random, plain))).isNotInstanceOf(SaslResult.Challenge.class);
            }
        }
    }

    @Test
    void userFileParserOnlyEverReportsProblems() {
        Random random = new Random(20260502);
        String[] fragments = {"alice", ":", "\n", "\r\n", "#", " ", "$", "$argon2id$", "v=19", "m=64,t=1,p=1", "$2b$",
                "05", "SCRAM-SHA-256$", "4096", "c29tZXNhbHQ", "==", "\u0000", "\uFEFF", "é", "\u2028"};
        for (int i = 0; i < 5_000; i++) {
            String text = new String(build(random, fragments), StandardCharsets.UTF_8);
            try {
                UserStore.parse(text, "fuzz");
            } catch (UserFileException e) {
                assertThat(e.problems()).isNotEmpty();
            }
        }
    }

    /** Up to 12 pieces, each a fragment or a random byte. */
    private static byte[] build(Random random, String[] fragments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = random.nextInt(13);
        for (int p = 0; p < parts; p++) {
            if (random.nextInt(4) == 0) {
                out.write(random.nextInt(256));
            } else {
                out.writeBytes(fragments[random.nextInt(fragments.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
