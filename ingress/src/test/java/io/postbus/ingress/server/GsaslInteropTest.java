package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.auth.AuthFailureLimiter;
import io.postbus.ingress.auth.PasswordHashes;
import io.postbus.ingress.auth.ScramCredentials;
import io.postbus.ingress.auth.UserStore;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.tls.CertificateSource;
import io.postbus.ingress.tls.SelfSignedCertificate;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.TestKafka;
import io.postbus.testkit.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SMTP AUTH (RFC 4954) against an independent implementation: GNU SASL's command-line client
 * {@code gsasl} (libgsasl 2.2), whose SCRAM-SHA-256 (RFC 5802, RFC 7677) shares no code with ours.
 * gsasl checks our ServerSignature ({@code v=}) too, so an exit code of 0 means each side proved
 * itself to the other. gsasl verifies our certificate against {@code --x509-ca-file}, by the name
 * it connects to ({@code localhost}).
 *
 * <p>gsasl runs with {@code --no-cb}. Given the TLS channel binding, libgsasl 2.2.0's SCRAM client
 * fails SCRAM-SHA-256 (without -PLUS) by itself, at its first step, before sending anything
 * ({@code GSASL_AUTHENTICATION_ERROR}; reproduced with libgsasl alone, no server involved). Had it
 * worked it would have sent the gs2 flag {@code y}, which ScramSha256MechanismTest covers.
 */
class GsaslInteropTest {
    private static final String ALICE = IngressFixture.USER; // SCRAM credentials made by PasswordHashes
    private static final String BOB = "bob"; // Argon2id only: PLAIN and LOGIN, never SCRAM
    private static final String CAROL = "carol"; // SCRAM credentials made by gsasl --mkpasswd
    private static final Map<String, String> PASSWORDS = Map.of(ALICE, IngressFixture.PASSWORD,
            BOB, "bob's other password", CAROL, "carol's pass phrase");
    private static final Pattern QUEUED = Pattern.compile("250 2\\.0\\.0 Ok: queued as (\\S+)");
    private static final Pattern AUTH_OUTCOME = Pattern.compile("^(235|[45]\\d\\d) .*");

    @TempDir
    static Path dir;
    private static SelfSignedCertificate certificate;
    private static Path caFile;
    private static String users;
    private static IngressFixture ingress;

    @BeforeAll
    static void start() throws Exception {
        certificate = SelfSignedCertificate.generate("localhost");
        caFile = Files.writeString(dir.resolve("ca.pem"), certificate.certificatePem());
        users = ALICE + ":" + PasswordHashes.scramSha256(PASSWORDS.get(ALICE), PasswordHashes.SCRAM_DEFAULT_ITERATIONS) + "\n"
                + BOB + ":" + PasswordHashes.argon2id(PASSWORDS.get(BOB)) + "\n"
                + CAROL + ":" + usersFileEntry(gsaslMkpasswd(PASSWORDS.get(CAROL), null)) + "\n";
        ingress = newIngress("gsasl");
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
    }

    private static IngressFixture newIngress(String hint) throws Exception {
        return new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix(hint), Duration.ofSeconds(10),
                UserStore.parse(users, "gsasl test users"),
                new CertificateSource.PemText(certificate.certificatePem(), certificate.privateKeyPem()));
    }

    /** gsasl does EHLO, STARTTLS (verifying our certificate) and AUTH by itself. */
    private static List<String> overStartTls(IngressFixture server, String mechanism, String user, String password,
                                             String... more) {
        List<String> args = new ArrayList<>(List.of("--smtp", "--connect", "localhost:" + server.port(ListenerKind.SUBMISSION),
                "--x509-ca-file=" + caFile, "--no-cb", "--quiet", "-m", mechanism, "-a", user, "-p", password));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void scramSha256AfterStartTlsOnPort587ThenAMessage() {
        String queueId;
        ToolResult r;
        try (Gsasl gsasl = Gsasl.start(overStartTls(ingress, "SCRAM-SHA-256", ALICE, PASSWORDS.get(ALICE)))) {
            assertThat(gsasl.awaitLine(AUTH_OUTCOME)).isEqualTo("235 2.7.0 Authentication successful");
            queueId = sendMessage(gsasl);
            r = gsasl.finish();
        }
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).contains("STARTTLS", "250-AUTH PLAIN LOGIN SCRAM-SHA-256", "AUTH SCRAM-SHA-256", "221 2.0.0 Bye");
        // RFC 5802 §7: gs2 header "n,," (no channel binding, no authzid), then the user and gsasl's nonce.
        String clientFirst = base64Decoded(lines.get(lines.indexOf("AUTH SCRAM-SHA-256") + 2));
        assertThat(clientFirst).startsWith("n,,n=alice,r=");
        assertAuthenticatedSubmission(queueId, ALICE, "SUBMISSION");
    }

    @Test
    void wrongScramPasswordsAre535AndTheFifthLocksTheClientOut() throws Exception {
        // Its own server: the failures it provokes would lock 127.0.0.1 out of the others.
        try (IngressFixture own = newIngress("gsasl-limit")) {
            for (int i = 1; i < AuthFailureLimiter.DEFAULT_BURST; i++) {
                assertWrongPasswordFails(own, i);
            }
            ToolResult stillAllowed = Gsasl.run(overStartTls(own, "SCRAM-SHA-256", ALICE, PASSWORDS.get(ALICE)));
            assertThat(stillAllowed.stdout()).as(stillAllowed.stderr()).contains("235 2.7.0 Authentication successful");

            assertWrongPasswordFails(own, AuthFailureLimiter.DEFAULT_BURST);
            ToolResult refused = Gsasl.run(overStartTls(own, "SCRAM-SHA-256", ALICE, PASSWORDS.get(ALICE)));
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stdout()).as(refused.stderr())
                    .contains("454 4.7.0 Error: too many failed authentication attempts, try again later")
                    .doesNotContain("235 ");
        }
    }

    private static void assertWrongPasswordFails(IngressFixture server, int attempt) {
        ToolResult bad = Gsasl.run(overStartTls(server, "SCRAM-SHA-256", ALICE, "wrong guess " + attempt));
        assertThat(bad.exitCode()).as("attempt %d", attempt).isNotZero();
        List<String> lines = bad.stdout().lines().toList();
        // Refused at the proof: the server-first and gsasl's client-final were exchanged first.
        assertThat(lines).as(bad.stderr()).contains("535 5.7.8 Authentication credentials invalid")
                .noneMatch(l -> l.startsWith("235 "));
        assertThat(base64Decoded(lines.get(lines.size() - 2))).startsWith("c=biws,r=").contains(",p=");
    }

    @Test
    void scramSha256OnImplicitTlsPort465() throws Exception {
        // gsasl 2.2 has no implicit TLS: it talks SMTP on stdin/stdout, relayed over our TLS connection.
        List<String> queued = new ArrayList<>();
        ToolResult r;
        try (RawSmtp server = new RawSmtp(ingress.port(ListenerKind.SUBMISSIONS))) {
            server.startTls();
            r = Gsasl.relay(server, List.of("--client", "--smtp", "--no-starttls", "--no-cb", "--application-data",
                    "--quiet", "-m", "SCRAM-SHA-256", "-a", ALICE, "-p", PASSWORDS.get(ALICE)),
                    authenticated -> queued.add(sendMessage(authenticated)));
        }
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("C: AUTH SCRAM-SHA-256", "S: 235 2.7.0 Authentication successful", "C: QUIT",
                "S: 221 2.0.0 Bye");
        assertThat(queued).hasSize(1);
        assertAuthenticatedSubmission(queued.get(0), ALICE, "SUBMISSIONS");
    }

    /** The same users file through PLAIN and LOGIN, for each kind of entry, and SCRAM for gsasl's own. */
    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"PLAIN, alice", "LOGIN, alice", "PLAIN, bob", "LOGIN, bob", "SCRAM-SHA-256, carol", "LOGIN, carol"})
    void everyMechanismAgainstTheSameUsersFile(String mechanism, String user) {
        String queueId;
        ToolResult r;
        try (Gsasl gsasl = Gsasl.start(overStartTls(ingress, mechanism, user, PASSWORDS.get(user)))) {
            assertThat(gsasl.awaitLine(AUTH_OUTCOME)).isEqualTo("235 2.7.0 Authentication successful");
            queueId = sendMessage(gsasl);
            r = gsasl.finish();
        }
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().lines()).contains("AUTH " + mechanism);
        assertAuthenticatedSubmission(queueId, user, "SUBMISSION");
    }

    /** RFC 5802 §5.1 {@code a=}: an authorization identity is accepted only when it is the user (no proxying). */
    @Test
    void scramWithAnAuthorizationIdentity() {
        ToolResult self = Gsasl.run(overStartTls(ingress, "SCRAM-SHA-256", ALICE, PASSWORDS.get(ALICE), "-z", ALICE));
        List<String> lines = self.stdout().lines().toList();
        assertThat(lines).as(self.stderr()).contains("235 2.7.0 Authentication successful");
        assertThat(base64Decoded(lines.get(lines.indexOf("AUTH SCRAM-SHA-256") + 2))).startsWith("n,a=alice,n=alice,r=");

        ToolResult other = Gsasl.run(overStartTls(ingress, "SCRAM-SHA-256", ALICE, PASSWORDS.get(ALICE), "-z", BOB));
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.stdout().lines()).as(other.stderr()).contains("535 5.7.8 Authentication credentials invalid")
                .noneMatch(l -> l.startsWith("235 "));
    }

    @Test
    void aUserWithoutScramCredentialsGetsASimulatedExchangeThen535() {
        ToolResult r = Gsasl.run(overStartTls(ingress, "SCRAM-SHA-256", BOB, PASSWORDS.get(BOB)));
        assertThat(r.exitCode()).isNotZero();
        List<String> lines = r.stdout().lines().toList();
        // RFC 5802 §9: a salt and the usual count, as for a real user, so the reply does not tell.
        String serverFirst = lines.stream().filter(l -> l.startsWith("334 ") && l.length() > 4)
                .map(l -> base64Decoded(l.substring(4))).findFirst().orElseThrow();
        assertThat(serverFirst).matches("r=[^,]+,s=[A-Za-z0-9+/]+=*,i=" + PasswordHashes.SCRAM_DEFAULT_ITERATIONS);
        assertThat(lines).contains("535 5.7.8 Authentication credentials invalid");
    }

    /**
     * RFC 5802 §3 keys, derived by gsasl and by us from the same password, salt and count, agree;
     * RFC 4013 SASLprep included (soft hyphen mapped to nothing, no-break space to space, NFKC).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "correct horse battery staple | correct horse battery staple",
            "I\\302\\255X                  | I\u00ADX",
            "\\342\\205\\250               | \u2168",
            "two\\302\\240words            | two\u00A0words"})
    void gsaslMkpasswdDerivesTheKeysWeDerive(String printfBytes, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        ScramCredentials theirs = ScramCredentials.parse(usersFileEntry(gsaslMkpasswd(printfBytes, salt)));
        ScramCredentials ours = ScramCredentials.derive(password.toCharArray(), salt, PasswordHashes.SCRAM_DEFAULT_ITERATIONS);
        assertThat(theirs).isEqualTo(ours);
    }

    /**
     * {@code gsasl --mkpasswd} for the password whose bytes {@code printf} makes of {@code printfBytes}
     * (so non-ASCII passwords reach gsasl as UTF-8 whatever this JVM's locale); a random salt when null.
     */
    private static String gsaslMkpasswd(String printfBytes, byte[] salt) {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "gsasl=\"$0\" count=\"$1\" password=\"$(printf \"$2\")\"; shift 2; "
                        + "exec \"$gsasl\" --mkpasswd -m SCRAM-SHA-256 --iteration-count \"$count\" -p \"$password\" \"$@\"",
                ExternalTool.require("gsasl").toString(), String.valueOf(PasswordHashes.SCRAM_DEFAULT_ITERATIONS), printfBytes));
        if (salt != null) {
            command.add("--salt=" + Base64.getEncoder().encodeToString(salt));
        }
        return ExternalTool.run(Gsasl.TIMEOUT, command).assertSuccess().stdout().strip();
    }

    /** gsasl's {@code {SCRAM-SHA-256}count,salt,StoredKey,ServerKey} as a users-file hash. */
    private static String usersFileEntry(String mkpasswd) {
        Matcher m = Pattern.compile("\\{SCRAM-SHA-256}(\\d+),([^,]+),([^,]+),([^,]+)").matcher(mkpasswd);
        assertThat(m.matches()).as(mkpasswd).isTrue();
        return ScramCredentials.PREFIX + m.group(1) + ":" + m.group(2) + "$" + m.group(3) + ":" + m.group(4);
    }

    /** A transaction through gsasl's authenticated session; returns the queue id. */
    private static String sendMessage(Gsasl gsasl) {
        assertThat(gsasl.send("MAIL FROM:<alice@example.net>").awaitReply()).startsWith("250 ");
        assertThat(gsasl.send("RCPT TO:<friend@elsewhere.org>").awaitReply()).startsWith("250 ");
        assertThat(gsasl.send("DATA").awaitReply()).startsWith("354 ");
        gsasl.send("Subject: sent through gsasl").send("").send("hello");
        return queueId(gsasl.send(".").awaitReply());
    }

    private static String sendMessage(RawSmtp server) throws IOException {
        server.send("MAIL FROM:<alice@example.net>\r\n");
        assertThat(server.reply()).startsWith("250 ");
        server.send("RCPT TO:<friend@elsewhere.org>\r\n");
        assertThat(server.reply()).startsWith("250 ");
        server.send("DATA\r\n");
        assertThat(server.reply()).startsWith("354 ");
        server.send("Subject: relayed for gsasl\r\n\r\nhello\r\n.\r\n");
        return queueId(server.reply());
    }

    private static String queueId(String reply) {
        Matcher m = QUEUED.matcher(reply);
        assertThat(m.find()).as(reply).isTrue();
        return m.group(1);
    }

    private static void assertAuthenticatedSubmission(String queueId, String user, String listener) {
        ReceivedMail m = ingress.received(Duration.ofSeconds(2)).stream()
                .filter(x -> x.getEnvelope().getQueueId().equals(queueId)).findFirst().orElseThrow();
        assertThat(m.getEnvelope().getAuthenticatedUser()).isEqualTo(user);
        assertThat(m.getEnvelope().getClient().getProtocol()).isEqualTo("ESMTPSA");
        assertThat(m.getEnvelope().getListener().name()).isEqualTo(listener);
    }

    private static String base64Decoded(String line) {
        return new String(Base64.getDecoder().decode(line.strip()), StandardCharsets.UTF_8);
    }
}
