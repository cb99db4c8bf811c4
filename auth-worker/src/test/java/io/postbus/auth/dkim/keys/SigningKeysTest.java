package io.postbus.auth.dkim.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenDKIM KeyTable + SigningTable semantics (opendkim.conf(5)) and the reloadable snapshot. */
class SigningKeysTest {
    @TempDir
    Path dir;
    Path keyTable;
    Path signingTable;

    @BeforeEach
    void keys() throws Exception {
        DkimKeyGenerator g = new DkimKeyGenerator();
        Files.createDirectories(dir.resolve("keys"));
        g.generate(KeyType.RSA, 1024, "example.com", "2024a", dir.resolve("keys/2024a.private"));
        g.generate(KeyType.RSA, 1024, "example.com", "2024b", dir.resolve("keys/2024b.private"));
        g.generate(KeyType.ED25519, 0, "example.com", "ed", dir.resolve("keys/ed.private"));
        keyTable = dir.resolve("KeyTable");
        signingTable = dir.resolve("SigningTable");
    }

    SigningKeys load(String keyTableText, String signingTableText, boolean refile, boolean multiple) throws Exception {
        Files.writeString(keyTable, keyTableText);
        Files.writeString(signingTable, signingTableText);
        return SigningKeys.load(new SigningKeys.Config(TableSource.parse("file:" + keyTable),
                TableSource.parse((refile ? "refile:" : "file:") + signingTable), multiple));
    }

    static List<String> selectors(List<DkimSigningKey> keys) {
        return keys.stream().map(k -> k.selector() + "@" + k.domain()).toList();
    }

    static final String THREE_KEYS = """
            # rotation: two RSA selectors, plus Ed25519
            old     example.com:2024a:./keys/2024a.private
            new     example.com:2024b:%s
            ed      example.com:ed:./keys/ed.private   # relative to the table
            """;

    String threeKeys() {
        return THREE_KEYS.formatted(dir.resolve("keys/2024b.private").toAbsolutePath());
    }

    @Test
    void refileMatchesWildcardsInFileOrderAndMultipleSignaturesAppliesEveryMatch() throws Exception {
        String table = "*@example.com old\n*@EXAMPLE.com new\n*@*.example.com ed\n*@other.example old\n";
        SigningKeys all = load(threeKeys(), table, true, true);
        assertThat(selectors(all.keysFor("Joe@Example.com"))).containsExactly("2024a@example.com", "2024b@example.com");
        assertThat(selectors(all.keysFor("joe@mail.example.com"))).containsExactly("ed@example.com");
        assertThat(all.keysFor("joe@example.net")).isEmpty();

        SigningKeys first = load(threeKeys(), table, true, false);
        assertThat(selectors(first.keysFor("joe@example.com"))).containsExactly("2024a@example.com");
    }

    @Test
    void dualAlgorithmSigningIsTwoEntriesForOnePattern() throws Exception {
        SigningKeys keys = load(threeKeys(), "*@example.com new\n*@example.com ed\n", true, true);
        assertThat(keys.keysFor("a@example.com")).extracting(DkimSigningKey::algorithm)
                .containsExactly(SigningAlgorithm.RSA_SHA256, SigningAlgorithm.ED25519_SHA256);
    }

    @Test
    void exactTablesAreSearchedInOpenDkimsOrder() throws Exception {
        assertThat(SigningTable.lookupOrder("joe@mail.example.com")).containsExactly(
                "joe@mail.example.com", "mail.example.com", "joe@.example.com", "joe@.com", ".example.com", ".com",
                "joe@*", "*");
        String table = """
                *                     old
                joe@*                 old
                .example.com          new
                joe@.example.com      ed
                mail.example.com      new
                joe@mail.example.com  ed
                """;
        SigningKeys multiple = load(threeKeys(), table, false, true);
        assertThat(selectors(multiple.keysFor("joe@mail.example.com"))).containsExactly(
                "ed@example.com", "2024b@example.com", "ed@example.com", "2024b@example.com", "2024a@example.com",
                "2024a@example.com");
        SigningKeys single = load(threeKeys(), table, false, false);
        assertThat(selectors(single.keysFor("ann@mail.example.com"))).containsExactly("2024b@example.com");
        assertThat(selectors(single.keysFor("ann@example.org"))).containsExactly("2024a@example.com");
    }

    @Test
    void percentTakesTheSendersDomainAndTheSignerBecomesIdentityUnlessItConflicts() throws Exception {
        String keys = threeKeys() + "any %:ed:./keys/ed.private\n";
        SigningKeys table = load(keys, "*@example.com old joe@%\n*@customer.example any\n*@example.org old joe@example.org\n", true, true);
        DkimSigningKey withI = table.keysFor("ann@example.com").get(0);
        assertThat(withI.identity()).contains("joe@example.com");
        DkimSigningKey anyDomain = table.keysFor("ann@customer.example").get(0);
        assertThat(anyDomain.domain()).isEqualTo("customer.example");
        assertThat(anyDomain.selector()).isEqualTo("ed");
        // opendkim.conf(5): a signer that conflicts with d= is left out of i=.
        assertThat(table.keysFor("ann@example.org").get(0).identity()).isEmpty();
    }

    @Test
    void badTablesAndKeysAreReportedWithFileAndLine() throws Exception {
        assertThatThrownBy(() -> load("old example.com:2024a\n", "* old\n", true, false))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("KeyTable:1");
        assertThatThrownBy(() -> load(threeKeys(), "*@example.com old\n*@example.com missing\n", true, false))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("SigningTable:2").hasMessageContaining("missing");
        assertThatThrownBy(() -> load("x example.com:s:./keys/none.private\n", "* x\n", true, false))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("none.private")
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(dir.resolve("keys/none.private")));
        assertThatThrownBy(() -> TableSource.parse("dsn:mysql://db/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reloadReadsTheFilesAgainAndAFailedReloadLeavesTheOldSnapshotUsable() throws Exception {
        SigningKeys before = load(threeKeys(), "*@example.com old\n", true, true);
        Files.writeString(signingTable, "*@example.com new\n*@example.com ed\n");
        SigningKeys after = before.reload();
        assertThat(selectors(after.keysFor("a@example.com"))).containsExactly("2024b@example.com", "ed@example.com");
        assertThat(selectors(before.keysFor("a@example.com"))).containsExactly("2024a@example.com");

        Files.writeString(dir.resolve("keys/ed.private"), "corrupted\n");
        assertThatThrownBy(after::reload).isInstanceOf(KeyFileException.class).hasMessageContaining("ed.private");
        assertThat(selectors(after.keysFor("a@example.com"))).containsExactly("2024b@example.com", "ed@example.com");
    }

    @Test
    void theFromAddressIsTheAddrSpecOfTheFirstFrom() {
        assertThat(SigningKeys.fromAddress(msg("From: \"Joe, Jr.\" <joe@example.com>\r\n"))).contains("joe@example.com");
        assertThat(SigningKeys.fromAddress(msg("From: joe@example.com (Joe)\r\n"))).contains("joe@example.com");
        assertThat(SigningKeys.fromAddress(msg("From: Joe\r\n <joe@example.com>\r\n"))).contains("joe@example.com");
        assertThat(SigningKeys.fromAddress(msg("To: a@example.com\r\n"))).isEmpty();
        assertThat(SigningKeys.fromAddress(msg("From: undisclosed\r\n"))).isEqualTo(Optional.empty());
    }

    static RawMessage msg(String header) {
        return RawMessage.parse((header + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
