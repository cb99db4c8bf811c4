package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user file: {@code user:hash} lines, hashes only, every bad line reported with its number. */
class UserStoreTest {

    @Test
    void loadsOneUserOfEachKind() throws Exception {
        UserStore store = UserStore.load(resource("users.txt"));
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.verifyPassword("carol", "hunter2-but-longer")).isTrue();
        assertThat(store.verifyPassword("dave", "U*U*")).isTrue();
        assertThat(store.verifyPassword("erin@example.org", "scram-secret")).isTrue();
        assertThat(store.verifyPassword("carol", "hunter2")).isFalse();
        assertThat(store.verifyPassword("dave", "U*U")).isFalse();
        assertThat(store.verifyPassword("erin@example.org", "scram-secreT")).isFalse();
        assertThat(store.verifyPassword("nobody", "hunter2-but-longer")).isFalse();
        assertThat(store.verifyPassword("Carol", "hunter2-but-longer")).as("exact, case-sensitive names").isFalse();
    }

    @Test
    void onlyScramUsersHaveScramCredentials() throws Exception {
        UserStore store = UserStore.load(resource("users.txt"));
        assertThat(store.scramCredentials("erin@example.org")).hasValueSatisfying(c -> {
            assertThat(c.iterations()).isEqualTo(4096);
            assertThat(c.format()).startsWith("SCRAM-SHA-256$4096:nZqIwKnZi2sDRftG1xAwtw==$");
        });
        assertThat(store.scramCredentials("carol")).isEmpty();
        assertThat(store.scramCredentials("nobody")).isEmpty();
    }

    @Test
    void reportsEveryBadLineWithItsNumberAndNoSecrets() throws Exception {
        UserFileException e = catchThrowableOfType(UserFileException.class,
                () -> UserStore.load(resource("users-broken.txt")));
        assertThat(e.problems()).extracting(UserFileException.Problem::line)
                .containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(e.problems().get(0).message()).contains("frank").contains("plain-text passwords are refused");
        assertThat(e.problems().get(1).message()).contains("only the Argon2id variant");
        assertThat(e.problems().get(2).message()).contains("'carol' is already defined on line 2");
        assertThat(e.problems().get(3).message()).isEqualTo("expected user:hash");
        assertThat(e.problems().get(4).message()).contains("ivan").contains("bcrypt");
        assertThat(e.problems().get(5).message()).contains("judy").contains("Argon2id");
        assertThat(e.problems().get(6).message()).contains("ken").contains("4096");
        assertThat(e.problems().get(7).message()).isEqualTo("empty user name");
        assertThat(e.problems().get(8).message()).contains("missing password hash");
        assertThat(e.getMessage()).startsWith(resource("users-broken.txt").toString() + ": line 3: ")
                .doesNotContain("hunter2", "heidi", "c29tZXNhbHQ", "CCCCCCCC", "nZqIwKnZi2sD", "/OK.fbVrR");
    }

    @Test
    void refusesControlCharactersAndPaddingInUserNames() {
        assertThat(problems("a\u0007b:" + TestUsers.BOB_BCRYPT)).containsExactly("line 1: user name contains a control or format character");
        assertThat(problems("a\u200Bb:" + TestUsers.BOB_BCRYPT)).as("zero-width space, a format character").hasSize(1);
        assertThat(problems("bob :" + TestUsers.BOB_BCRYPT)).containsExactly("line 1: user name has leading or trailing white space");
        assertThat(problems("x".repeat(256) + ":" + TestUsers.BOB_BCRYPT)).containsExactly("line 1: user name longer than 255 bytes");
        assertThat(problems("a\rb:" + TestUsers.BOB_BCRYPT)).as("a lone CR ends a line")
                .containsExactly("line 1: expected user:hash");
    }

    @Test
    void acceptsCrlfBomCommentsAndSpaceAroundTheHash() throws Exception {
        UserStore store = UserStore.parse("\uFEFF# comment\r\n\r\n  bob: " + TestUsers.BOB_BCRYPT + " \r\n   # indented comment\r\n", "t");
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.verifyPassword("bob", "U*U")).isTrue();
        assertThat(UserStore.parse("", "empty").size()).isZero();
    }

    @Test
    void namesTheLineOfInvalidUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("users");
        Files.write(file, ("# ok\nbob:" + TestUsers.BOB_BCRYPT + "\nb\u00e9\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        UserFileException e = catchThrowableOfType(UserFileException.class, () -> UserStore.load(file));
        assertThat(e.problems()).containsExactly(new UserFileException.Problem(3, "not valid UTF-8"));
    }

    @Test
    void unknownUsersCostAboutAsMuchAsKnownOnes() throws Exception {
        // The decoy runs the store's most common algorithm at its cost; compare medians, loosely.
        UserStore store = UserStore.parse("a:" + PasswordHashes.argon2id("pw".toCharArray(), 4096, 1, 1)
                + "\nb:" + PasswordHashes.argon2id("pw".toCharArray(), 4096, 1, 1), "t");
        long[] known = new long[7];
        long[] unknown = new long[7];
        for (int i = -2; i < known.length; i++) { // two rounds of JIT warm-up, then interleaved samples
            long a = nanos(() -> store.verifyPassword("a", "x"));
            long b = nanos(() -> store.verifyPassword("zz", "x"));
            if (i >= 0) {
                known[i] = a;
                unknown[i] = b;
            }
        }
        // Loose bounds: this catches an unknown user answered instantly (a ratio near 0), not jitter.
        assertThat((double) median(unknown) / median(known)).isBetween(0.25, 4.0);
    }

    @Test
    void emptyStoreRefusesEveryone() {
        assertThat(UserStore.empty().verifyPassword("anyone", "anything")).isFalse();
        assertThat(UserStore.empty().scramCredentials("anyone")).isEmpty();
    }

    @Test
    void toStringShowsNoHashes() throws Exception {
        UserStore store = UserStore.load(resource("users.txt"));
        assertThat(store.toString()).endsWith("users.txt, 3 users]");
        assertThat(store.scramCredentials("erin@example.org").orElseThrow().toString())
                .isEqualTo("ScramCredentials[SCRAM-SHA-256, iterations=4096]");
        assertThat(Argon2idHash.parse(TestUsers.ALICE_ARGON2).toString()).isEqualTo("Argon2idHash[argon2id m=64 t=1 p=1]");
        assertThat(BcryptHash.parse(TestUsers.BOB_BCRYPT).toString()).isEqualTo("BcryptHash[$2a$, cost=5]");
    }

    @Test
    void parseRequiresASourceName() {
        assertThatThrownBy(() -> UserStore.parse("", null)).isInstanceOf(NullPointerException.class);
    }

    private static java.util.List<String> problems(String text) {
        UserFileException e = catchThrowableOfType(UserFileException.class, () -> UserStore.parse(text, "t"));
        assertThat(e).as(text).isNotNull();
        return e.problems().stream().map(UserFileException.Problem::toString).toList();
    }

    private static long nanos(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    private static long median(long[] samples) {
        long[] sorted = samples.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(UserStoreTest.class.getResource("/auth/" + name).toURI());
    }
}
