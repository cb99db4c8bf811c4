package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MechanismsTest {

    @Test
    void advertisesAllThreeInAFixedOrder() {
        assertThat(Mechanisms.ADVERTISED).containsExactly("PLAIN", "LOGIN", "SCRAM-SHA-256");
        assertThat(Mechanisms.ehloParameters()).isEqualTo("PLAIN LOGIN SCRAM-SHA-256");
    }

    @Test
    void createsAFreshMechanismByCaseInsensitiveName() {
        // RFC 4954 §8: mechanism names are case-insensitive.
        UserStore store = UserStore.empty();
        assertThat(Mechanisms.create("plain", store)).containsInstanceOf(PlainMechanism.class);
        assertThat(Mechanisms.create("Login", store)).containsInstanceOf(LoginMechanism.class);
        assertThat(Mechanisms.create("scram-sha-256", store)).containsInstanceOf(ScramSha256Mechanism.class);
        assertThat(Mechanisms.create("PLAIN", store).orElseThrow()).isNotSameAs(Mechanisms.create("PLAIN", store).orElseThrow());
        for (String unknown : new String[] {"CRAM-MD5", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1", "", "PLAIN\r\n"}) {
            assertThat(Mechanisms.create(unknown, store)).as(unknown).isEmpty(); // reply 504 5.5.4
        }
    }

    @Test
    void failureReasonsCarryTheirRfc4954Replies() {
        assertThat(SaslResult.Reason.CREDENTIALS_INVALID.replyCode()).isEqualTo(535);
        assertThat(SaslResult.Reason.CREDENTIALS_INVALID.enhancedCode()).isEqualTo("5.7.8");
        assertThat(SaslResult.Reason.MALFORMED.replyCode()).isEqualTo(501);
    }
}
