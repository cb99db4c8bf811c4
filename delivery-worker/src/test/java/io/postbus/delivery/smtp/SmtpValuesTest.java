package io.postbus.delivery.smtp;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation at construction, and the small decisions the values make. */
class SmtpValuesTest {

    @Test
    void ehloCapabilitiesFromAReply() throws Exception {
        // The last line is empty, as Postfix's smtp-sink sends it.
        SmtpReply reply = SmtpReply.parse(List.of("250-mx.example.net greets you", "250-PIPELINING",
                "250-SIZE 10240000", "250-8bitmime", "250-STARTTLS", "250-SMTPUTF8", "250-ENHANCEDSTATUSCODES",
                "250-DSN", "250 "));
        EhloCapabilities caps = EhloCapabilities.fromEhloReply(reply);
        assertThat(caps.pipelining()).isTrue();
        assertThat(caps.eightBitMime()).isTrue();
        assertThat(caps.startTls()).isTrue();
        assertThat(caps.smtpUtf8()).isTrue();
        assertThat(caps.enhancedStatusCodes()).isTrue();
        assertThat(caps.dsn()).isTrue();
        assertThat(caps.size()).isTrue();
        assertThat(caps.sizeLimit()).hasValue(10_240_000);
        assertThat(caps.has("MX.EXAMPLE.NET")).as("first line is not an extension").isFalse();
        assertThat(caps.keywords()).doesNotContainKey("");
    }

    @Test
    void sizeWithoutLimit() throws Exception {
        EhloCapabilities caps = EhloCapabilities.fromEhloReply(SmtpReply.parse(List.of("250-mx", "250 SIZE")));
        assertThat(caps.size()).isTrue();
        assertThat(caps.sizeLimit()).isEmpty();
        assertThat(EhloCapabilities.none().pipelining()).isFalse();
    }

    @Test
    void envelopeRejectsCommandInjection() {
        assertThatThrownBy(() -> SmtpEnvelope.of("a@x.test\r\nRCPT TO:<evil@x.test>", "b@y.test"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpEnvelope.of("a@x.test", "b@y.test> NOTIFY=NEVER"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpEnvelope.of("a@x.test", "b@y.test\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpEnvelope.of("a@x.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpEnvelope.of("a@x.test", "b@y.test", "b@y.test"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void envelopeAllowsNullSenderAndQuotedSpaces() {
        assertThat(SmtpEnvelope.of("", "\"john doe\"@y.test").recipients()).containsExactly("\"john doe\"@y.test");
    }

    @Test
    void smtpUtf8IsNeededForNonAsciiAddressesOnly() {
        assertThat(SmtpEnvelope.of("a@x.test", "b@y.test").needsSmtpUtf8()).isFalse();
        assertThat(SmtpEnvelope.of("jörg@x.test", "b@y.test").needsSmtpUtf8()).isTrue();
        assertThat(SmtpEnvelope.of("a@x.test", "b@пример.рф").needsSmtpUtf8()).isTrue();
    }

    @Test
    void timeoutsFollowRfc5321() {
        SmtpTimeouts t = SmtpTimeouts.rfc5321();
        assertThat(t.greeting()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.mailFrom()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.rcptTo()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.data()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.dataDone()).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.forPhase(SmtpPhase.DATA_DONE)).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> SmtpTimeouts.uniform(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heloNameCannotInject() {
        assertThatThrownBy(() -> SmtpClientConfig.defaults("client.test\r\nMAIL FROM:<x>"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpClientConfig.defaults("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SmtpClientConfig.defaults("client.test").tlsPolicy()).isEqualTo(TlsPolicy.MAY);
    }

    @Test
    void outcomeOfAReply() {
        assertThat(DeliveryOutcome.of(SmtpReply.of(250, "2.0.0 ok"))).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(DeliveryOutcome.of(SmtpReply.of(452, "4.3.1 full"))).isEqualTo(DeliveryOutcome.DEFERRED);
        assertThat(DeliveryOutcome.of(SmtpReply.of(554, "5.7.1 no"))).isEqualTo(DeliveryOutcome.BOUNCED);
        assertThat(DeliveryOutcome.of(SmtpReply.of(354, "go on"))).isEqualTo(DeliveryOutcome.DEFERRED);
        assertThat(DeliveryOutcome.ofRefusal(SmtpReply.of(250, "odd"))).isEqualTo(DeliveryOutcome.DEFERRED);
    }
}
