package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.auth.SaslResult.Failure;
import io.postbus.ingress.auth.SaslResult.Reason;
import io.postbus.ingress.auth.SaslResult.Success;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PLAIN, RFC 4616 §2: {@code message = [authzid] UTF8NUL authcid UTF8NUL passwd}. */
class PlainMechanismTest {

    private static final UserStore STORE = TestUsers.store();

    @Test
    void acceptsTheRightPasswordAsAnInitialResponse() {
        // RFC 4954 §4.1 shape: AUTH PLAIN <base64 of "\0alice\0correct horse">
        assertThat(plain().start(msg("\0alice\0correct horse"))).isEqualTo(new Success("alice"));
        assertThat(plain().start(msg("\0bob\0U*U"))).isEqualTo(new Success("bob"));
        assertThat(plain().start(msg("\0user\0pencil"))).as("SCRAM users may use PLAIN too").isEqualTo(new Success("user"));
    }

    @Test
    void withoutInitialResponseSendsAnEmptyChallengeFirst() {
        // RFC 4954 §4: a challenge with no data is the line "334 ".
        PlainMechanism m = plain();
        assertThat(m.start()).isEqualTo(new SaslResult.Challenge(new byte[0]));
        assertThat(m.respond(msg("\0alice\0correct horse"))).isEqualTo(new Success("alice"));
    }

    @Test
    void wrongPasswordAndUnknownUserLookTheSame() {
        assertThat(plain().start(msg("\0alice\0correct horsE"))).isEqualTo(new Failure(Reason.CREDENTIALS_INVALID));
        assertThat(plain().start(msg("\0mallory\0correct horse"))).isEqualTo(new Failure(Reason.CREDENTIALS_INVALID));
        assertThat(plain().start(msg("\0Alice\0correct horse"))).as("user names are case-sensitive")
                .isEqualTo(new Failure(Reason.CREDENTIALS_INVALID));
    }

    @Test
    void authzidMustBeEmptyOrTheUserItself() {
        // RFC 4616 §2: the server decides whether authcid may act as authzid; we allow only itself.
        assertThat(plain().start(msg("alice\0alice\0correct horse"))).isEqualTo(new Success("alice"));
        assertThat(plain().start(msg("bob\0alice\0correct horse"))).isEqualTo(new Failure(Reason.CREDENTIALS_INVALID));
    }

    @Test
    void refusesMessagesThatBreakTheGrammar() {
        assertThat(plain().start(msg("alice correct horse"))).as("no NUL").isEqualTo(malformed());
        assertThat(plain().start(msg("alice\0correct horse"))).as("one NUL").isEqualTo(malformed());
        assertThat(plain().start(msg("\0alice\0correct\0horse"))).as("NUL inside the password: too many parts")
                .isEqualTo(malformed());
        assertThat(plain().start(msg("\0\0correct horse"))).as("authcid = 1*SAFE").isEqualTo(malformed());
        assertThat(plain().start(msg("\0alice\0"))).as("passwd = 1*SAFE").isEqualTo(malformed());
        assertThat(plain().start(new byte[0])).as("AUTH PLAIN = (empty initial response)").isEqualTo(malformed());
        assertThat(plain().start(new byte[] {0, 'a', 'l', 'i', 'c', 'e', 0, (byte) 0xC3, 0x28}))
                .as("invalid UTF-8 in the password").isEqualTo(malformed());
        assertThat(plain().start(msg("\0" + "a".repeat(PlainMechanism.MAX_FIELD_BYTES + 1) + "\0x")))
                .as("over-long field").isEqualTo(malformed());
    }

    @Test
    void theExchangeIsOneShot() {
        PlainMechanism m = plain();
        m.start(msg("\0alice\0wrong"));
        assertThatThrownBy(() -> m.respond(msg("\0alice\0correct horse"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> plain().respond(msg("\0alice\0correct horse"))).as("respond before start")
                .isInstanceOf(IllegalStateException.class);
    }

    private static PlainMechanism plain() {
        return new PlainMechanism(STORE);
    }

    private static Failure malformed() {
        return new Failure(Reason.MALFORMED);
    }

    static byte[] msg(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
