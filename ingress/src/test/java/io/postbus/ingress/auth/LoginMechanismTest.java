package io.postbus.ingress.auth;

import static io.postbus.ingress.auth.PlainMechanismTest.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.auth.SaslResult.Challenge;
import io.postbus.ingress.auth.SaslResult.Failure;
import io.postbus.ingress.auth.SaslResult.Reason;
import io.postbus.ingress.auth.SaslResult.Success;
import org.junit.jupiter.api.Test;

/** LOGIN (draft-murchison-sasl-login §2): "Username:", then "Password:", carried as RFC 4954 §4 challenges. */
class LoginMechanismTest {

    private static final UserStore STORE = TestUsers.store();

    @Test
    void asksForUserThenPassword() {
        LoginMechanism m = new LoginMechanism(STORE);
        assertThat(m.start()).isEqualTo(new Challenge(msg("Username:")));   // 334 VXNlcm5hbWU6
        assertThat(m.respond(msg("alice"))).isEqualTo(new Challenge(msg("Password:"))); // 334 UGFzc3dvcmQ6
        assertThat(m.respond(msg("correct horse"))).isEqualTo(new Success("alice"));
    }

    @Test
    void takesTheUserNameAsInitialResponse() {
        // What Outlook and others send: AUTH LOGIN <base64 user name>.
        LoginMechanism m = new LoginMechanism(STORE);
        assertThat(m.start(msg("bob"))).isEqualTo(new Challenge(msg("Password:")));
        assertThat(m.respond(msg("U*U"))).isEqualTo(new Success("bob"));
    }

    @Test
    void asksForThePasswordEvenForAnUnknownUser() {
        LoginMechanism m = new LoginMechanism(STORE);
        m.start();
        assertThat(m.respond(msg("mallory"))).as("nothing revealed before the password")
                .isEqualTo(new Challenge(msg("Password:")));
        assertThat(m.respond(msg("correct horse"))).isEqualTo(new Failure(Reason.CREDENTIALS_INVALID));
    }

    @Test
    void wrongPasswordFails() {
        LoginMechanism m = new LoginMechanism(STORE);
        m.start(msg("alice"));
        assertThat(m.respond(msg("correct horse "))).isEqualTo(new Failure(Reason.CREDENTIALS_INVALID));
        assertThatThrownBy(() -> m.respond(msg("correct horse"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesNulBadUtf8AndEmptyAnswers() {
        assertThat(new LoginMechanism(STORE).start(msg("ali\0ce"))).isEqualTo(new Failure(Reason.MALFORMED));
        assertThat(new LoginMechanism(STORE).start(new byte[] {(byte) 0xFF})).isEqualTo(new Failure(Reason.MALFORMED));
        assertThat(new LoginMechanism(STORE).start(new byte[0])).as("AUTH LOGIN =").isEqualTo(new Failure(Reason.MALFORMED));
        LoginMechanism m = new LoginMechanism(STORE);
        m.start(msg("alice"));
        assertThat(m.respond(msg("correct\0horse"))).isEqualTo(new Failure(Reason.MALFORMED));
        LoginMechanism empty = new LoginMechanism(STORE);
        empty.start(msg("alice"));
        assertThat(empty.respond(new byte[0])).isEqualTo(new Failure(Reason.MALFORMED));
    }
}
