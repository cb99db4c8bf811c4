package io.postbus.delivery.smtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SCRAM-SHA-256 client messages against the exchange in RFC 7677 §3. */
class ScramSha256ClientTest {

    private static final SaslCredentials USER = new SaslCredentials("user", "pencil");
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    @Test
    void rfc7677TestVector() {
        ScramSha256Client scram = new ScramSha256Client(USER, "rOprNGfwEbeRWgbNEkqO");
        assertThat(scram.clientFirst()).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        assertThat(scram.clientFinal(SERVER_FIRST)).isEqualTo(new ScramSha256Client.Step.Send(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        assertThat(scram.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")).isTrue();
    }

    @Test
    void aServerThatDoesNotKnowThePasswordIsCaught() {
        // RFC 5802 §3: the client MUST verify the ServerSignature.
        ScramSha256Client scram = new ScramSha256Client(USER, "rOprNGfwEbeRWgbNEkqO");
        assertThat(scram.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
                .as("no server-final before our proof").isFalse();
        scram.clientFinal(SERVER_FIRST);
        assertThat(scram.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")).isFalse();
        assertThat(scram.verifyServerFinal("e=invalid-proof")).isFalse();
    }

    @Test
    void aServerNonceThatDoesNotExtendOursIsRefused() {
        // RFC 5802 §5.1: the server's nonce starts with the client's.
        ScramSha256Client scram = new ScramSha256Client(USER, "abcdef");
        assertThat(scram.clientFinal("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
                .isInstanceOf(ScramSha256Client.Step.Abort.class);
        assertThat(scram.clientFinal("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
                .as("the server must add to it").isInstanceOf(ScramSha256Client.Step.Abort.class);
    }

    @Test
    void malformedOrAbusiveServerFirstMessagesAreRefused() {
        ScramSha256Client scram = new ScramSha256Client(USER, "abc");
        assertThat(scram.clientFinal("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==")).isInstanceOf(ScramSha256Client.Step.Abort.class);
        assertThat(scram.clientFinal("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=999999999"))
                .as("an iteration count that would stall the delivery thread")
                .isInstanceOf(ScramSha256Client.Step.Abort.class);
        assertThat(scram.clientFinal("m=ext,r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
                .as("RFC 5802 §5.1: an unknown mandatory extension")
                .isInstanceOf(ScramSha256Client.Step.Abort.class);
    }

    @Test
    void userNamesAreEscapedAndPrepared() {
        // RFC 5802 §5.1: "=" → "=3D", "," → "=2C"; RFC 4013: a no-break space is a space.
        ScramSha256Client scram = new ScramSha256Client(new SaslCredentials("a=b,c\u00A0d", "pw"), "n0nce");
        assertThat(scram.clientFirst()).isEqualTo("n,,n=a=3Db=2Cc d,r=n0nce");
        assertThat(ScramSha256Client.saslPrep("I\u00ADX")).isEqualTo("IX");
        assertThat(ScramSha256Client.saslPrep("\u2168")).as("NFKC").isEqualTo("IX");
    }
}
