package io.postbus.delivery.smtp;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mechanism choice from the EHLO AUTH keyword (RFC 4954 §3) and the password map's value format. */
class SaslMechanismTest {

    private static EhloCapabilities ehlo(String... lines) {
        List<String> all = new java.util.ArrayList<>(List.of("relay.test"));
        all.addAll(List.of(lines));
        return EhloCapabilities.fromEhloReply(new SmtpReply(250, java.util.Optional.empty(), all));
    }

    @Test
    void scramIsPreferredThenPlainThenLogin() {
        assertThat(SaslMechanism.choose(ehlo("AUTH LOGIN PLAIN SCRAM-SHA-256"))).contains(SaslMechanism.SCRAM_SHA_256);
        assertThat(SaslMechanism.choose(ehlo("AUTH LOGIN plain CRAM-MD5"))).contains(SaslMechanism.PLAIN);
        assertThat(SaslMechanism.choose(ehlo("AUTH LOGIN CRAM-MD5"))).contains(SaslMechanism.LOGIN);
    }

    @Test
    void nothingWeSpeakOrNoAuthAtAll() {
        assertThat(SaslMechanism.choose(ehlo("AUTH CRAM-MD5 GSSAPI SCRAM-SHA-1"))).isEmpty();
        assertThat(SaslMechanism.choose(ehlo("PIPELINING", "STARTTLS"))).isEmpty();
    }

    @Test
    void thePreStandardAuthEqualsLineCounts() {
        assertThat(SaslMechanism.choose(ehlo("AUTH=LOGIN PLAIN"))).contains(SaslMechanism.PLAIN);
        assertThat(SaslMechanism.choose(ehlo("AUTH=LOGIN"))).contains(SaslMechanism.LOGIN);
    }

    @Test
    void passwordMapValuesSplitAtTheFirstColon() {
        assertThat(SaslCredentials.parse("user@isp.example:pa:ss")).isEqualTo(new SaslCredentials("user@isp.example", "pa:ss"));
        assertThatThrownBy(() -> SaslCredentials.parse("nocolon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SaslCredentials.parse("user:")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SaslCredentials("u", "secret").toString()).doesNotContain("secret");
    }
}
