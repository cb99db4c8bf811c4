package io.postbus.ingress.auth;

import static io.postbus.ingress.auth.PlainMechanismTest.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.auth.SaslResult.Challenge;
import io.postbus.ingress.auth.SaslResult.Failure;
import io.postbus.ingress.auth.SaslResult.Reason;
import io.postbus.ingress.auth.SaslResult.Success;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** SCRAM-SHA-256 server side: RFC 5802 §5 and §7, with the RFC 7677 §3 example as the reference. */
class ScramSha256MechanismTest {

    private static final UserStore STORE = TestUsers.store();

    // RFC 7677 §3, verbatim.
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    @Test
    void reproducesTheRfc7677ExampleEndToEnd() {
        ScramSha256Mechanism m = rfcMechanism();
        assertThat(m.start(msg(CLIENT_FIRST))).isEqualTo(challenge(SERVER_FIRST));
        assertThat(m.respond(msg(CLIENT_FINAL))).isEqualTo(challenge(SERVER_FINAL));
        // RFC 4954 §4: SMTP has no success-with-data, so server-final is a 334 the client answers empty.
        assertThat(m.respond(new byte[0])).isEqualTo(new Success("user"));
    }

    @Test
    void withoutInitialResponseStartsWithAnEmptyChallenge() {
        ScramSha256Mechanism m = rfcMechanism();
        assertThat(m.start()).isEqualTo(new Challenge(new byte[0]));
        assertThat(m.respond(msg(CLIENT_FIRST))).isEqualTo(challenge(SERVER_FIRST));
        assertThat(m.respond(msg(CLIENT_FINAL))).isEqualTo(challenge(SERVER_FINAL));
        assertThat(m.respond(new byte[0])).isEqualTo(new Success("user"));
    }

    @Test
    void wrongPasswordFails() {
        // RFC 5802 §5.1: the server verifies ClientProof; here it is honestly computed from the wrong password.
        ScramSha256Mechanism m = rfcMechanism();
        m.start(msg(CLIENT_FIRST));
        String withoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE;
        String proof = Client.proof("pencil!", TestUsers.RFC7677_SALT, 4096,
                "n=user,r=rOprNGfwEbeRWgbNEkqO," + SERVER_FIRST + "," + withoutProof);
        assertThat(m.respond(msg(withoutProof + ",p=" + proof))).isEqualTo(invalid());
    }

    @Test
    void tamperedProofFails() {
        ScramSha256Mechanism m = rfcMechanism();
        m.start(msg(CLIENT_FIRST));
        byte[] proof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        proof[0] ^= 1;
        String tampered = CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf(",p=")) + ",p="
                + Base64.getEncoder().encodeToString(proof);
        assertThat(m.respond(msg(tampered))).isEqualTo(invalid());
    }

    @Test
    void nonceMustBeTheCombinedOne() {
        // RFC 5802 §5.1: r= in client-final MUST be the nonce the server sent, which starts with the client's.
        ScramSha256Mechanism m = rfcMechanism();
        m.start(msg(CLIENT_FIRST));
        assertThat(m.respond(msg(CLIENT_FINAL.replace(SERVER_NONCE, SERVER_NONCE + "x")))).isEqualTo(invalid());
        ScramSha256Mechanism replayed = new ScramSha256Mechanism(STORE, () -> "another-server-nonce");
        replayed.start(msg(CLIENT_FIRST));
        assertThat(replayed.respond(msg(CLIENT_FINAL))).as("a replayed client-final").isEqualTo(invalid());
    }

    @Test
    void channelBindingIsRefusedAndItsAbsenceChecked() {
        // RFC 5802 §6: "p=" needs SCRAM-SHA-256-PLUS, which we do not advertise.
        assertThat(rfcMechanism().start(msg("p=tls-server-end-point,,n=user,r=rOprNGfwEbeRWgbNEkqO")))
                .isEqualTo(new Failure(Reason.MALFORMED));
        // c= must be the base64 of the gs2 header sent in client-first: "n,," is "biws", not "eSws".
        ScramSha256Mechanism m = rfcMechanism();
        m.start(msg(CLIENT_FIRST));
        assertThat(m.respond(msg(CLIENT_FINAL.replace("c=biws", "c=eSws")))).isEqualTo(invalid());
    }

    @Test
    void acceptsTheYFlagAndAnAuthzidEqualToTheUser() {
        // "y": client supports channel binding but thinks we do not (RFC 5802 §6), which is true.
        assertThat(exchange("y,,", "pencil")).isEqualTo(new Success("user"));
        assertThat(exchange("n,a=user,", "pencil")).isEqualTo(new Success("user"));
        assertThat(rfcMechanism().start(msg("n,a=admin,n=user,r=abc"))).as("no proxy authorization")
                .isEqualTo(invalid());
    }

    @Test
    void refusesMalformedClientMessages() {
        for (String bad : new String[] {
                "n,,m=ext,n=user,r=abc",        // RFC 5802 §5.1: unknown mandatory extension
                "n,,n=us=er,r=abc",             // "=" not followed by 2C or 3D
                "n,,n=user",                     // no nonce
                "n,,r=abc,n=user",               // wrong order
                "n,,n=,r=abc",                   // empty user
                "n,,n=user,r=a,b",               // "b" is not attr=value
                "x,,n=user,r=abc",               // unknown gs2 flag
                "n,,n=user,r=ab\u0000c",          // NUL
                "n,n=user,r=abc",                // gs2 header cut short
        }) {
            assertThat(rfcMechanism().start(msg(bad))).as(bad).isEqualTo(new Failure(Reason.MALFORMED));
        }
        ScramSha256Mechanism m = rfcMechanism();
        m.start(msg(CLIENT_FIRST));
        assertThat(m.respond(msg(CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf(",p=")) + ",p=AAAA"))).as("proof of the wrong length")
                .isEqualTo(new Failure(Reason.MALFORMED));
        ScramSha256Mechanism noProof = rfcMechanism();
        noProof.start(msg(CLIENT_FIRST));
        assertThat(noProof.respond(msg(CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf(",p=")))))
                .isEqualTo(new Failure(Reason.MALFORMED));
    }

    @Test
    void decodesSaslNamesWithEscapedCommaAndEquals() {
        assertThat(ScramMessages.decodeSaslName("a=2Cb=3Dc")).isEqualTo("a,b=c");
        assertThat(ScramMessages.decodeSaslName("a=2")).isNull();
    }

    @Test
    void usersWithoutScramCredentialsGetAStableSimulatedExchange() {
        // RFC 5802 §9: an unknown user must not be distinguishable at server-first.
        String first = serverFirstFor("mallory");
        assertThat(first).matches("r=abc[^,]+,s=[A-Za-z0-9+/=]{24},i=4096");
        assertThat(salt(serverFirstFor("mallory"))).as("same fake salt each time").isEqualTo(salt(first));
        assertThat(salt(serverFirstFor("trudy"))).isNotEqualTo(salt(first));
        // Whatever password the client proves, the exchange fails like a wrong password.
        assertThat(exchangeAs("mallory", "pencil")).isEqualTo(invalid());
        assertThat(exchangeAs("alice", "correct horse")).as("an Argon2id user cannot use SCRAM").isEqualTo(invalid());
    }

    @Test
    void theAcknowledgementMustBeEmpty() {
        ScramSha256Mechanism m = rfcMechanism();
        m.start(msg(CLIENT_FIRST));
        m.respond(msg(CLIENT_FINAL));
        assertThat(m.respond(msg("anything"))).isEqualTo(new Failure(Reason.MALFORMED));
    }

    @Test
    void defaultNoncesAreFreshAndPrintable() {
        String a = ScramSha256Mechanism.randomNonce();
        assertThat(ScramMessages.isPrintableNonce(a)).isTrue();
        assertThat(a).isNotEqualTo(ScramSha256Mechanism.randomNonce());
    }

    private static ScramSha256Mechanism rfcMechanism() {
        return new ScramSha256Mechanism(STORE, () -> SERVER_NONCE);
    }

    private static String serverFirstFor(String user) {
        SaslResult r = new ScramSha256Mechanism(STORE).start(msg("n,,n=" + user + ",r=abc"));
        return new String(((Challenge) r).data(), StandardCharsets.UTF_8);
    }

    private static String salt(String serverFirst) {
        Matcher m = Pattern.compile(",s=([^,]+),").matcher(serverFirst);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** A full exchange as user "user" with the given gs2 header, as an honest client would run it. */
    private static SaslResult exchange(String gs2Header, String password) {
        return run("user", gs2Header, password);
    }

    private static SaslResult exchangeAs(String user, String password) {
        return run(user, "n,,", password);
    }

    private static SaslResult run(String user, String gs2Header, String password) {
        ScramSha256Mechanism m = new ScramSha256Mechanism(STORE);
        String bare = "n=" + user + ",r=client-nonce";
        SaslResult first = m.start(msg(gs2Header + bare));
        String serverFirst = new String(((Challenge) first).data(), StandardCharsets.UTF_8);
        Matcher p = Pattern.compile("r=([^,]+),s=([^,]+),i=(\\d+)").matcher(serverFirst);
        assertThat(p.matches()).as(serverFirst).isTrue();
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(msg(gs2Header)) + ",r=" + p.group(1);
        String proof = Client.proof(password, Base64.getDecoder().decode(p.group(2)), Integer.parseInt(p.group(3)),
                bare + "," + serverFirst + "," + withoutProof);
        SaslResult result = m.respond(msg(withoutProof + ",p=" + proof));
        return result instanceof Challenge ? m.respond(new byte[0]) : result;
    }

    private static Challenge challenge(String s) {
        return new Challenge(msg(s));
    }

    private static Failure invalid() {
        return new Failure(Reason.CREDENTIALS_INVALID);
    }

    /** The client side of RFC 5802 §3, written against the JDK's PBKDF2 rather than our Hi(). */
    static final class Client {
        static String proof(String password, byte[] salt, int iterations, String authMessage) {
            try {
                byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
                byte[] clientKey = hmac(salted, "Client Key");
                byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
                byte[] signature = hmac(storedKey, authMessage);
                for (int i = 0; i < clientKey.length; i++) {
                    clientKey[i] ^= signature[i];
                }
                return Base64.getEncoder().encodeToString(clientKey);
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        private static byte[] hmac(byte[] key, String data) throws java.security.GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
    }
}
