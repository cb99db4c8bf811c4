package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.config.ConfigException;
import io.postbus.ingress.smtp.ClientRateLimits;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.smtp.SessionTimeouts;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostbusConfigTest {

    @Test
    void defaultsAreTheEmbeddedDefault() throws Exception {
        PostbusConfig c = PostbusConfig.parse(Map.of());
        assertThat(c.embeddedBroker()).isTrue();
        assertThat(c.ingress().listeners()).extracting(l -> l.kind() + "@" + l.host() + ":" + l.port())
                .containsExactly("SMTP@127.0.0.1:2525", "SUBMISSION@127.0.0.1:2587", "SUBMISSIONS@127.0.0.1:2465");
        assertThat(c.listen("http.listen")).isEqualTo(new PostbusConfig.HostPort("127.0.0.1", 8025));
        assertThat(c.ingress().maxMessageSize()).isEqualTo(35L << 20);
        assertThat(c.ingress().relayPolicy().isTrusted(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(c.ingress().relayPolicy().isTrusted(InetAddress.getByName("::1"))).isTrue();
        assertThat(c.ingress().relayPolicy().isTrusted(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(c.topicPlan().specs()).extracting(s -> s.name()).contains("postbus.mail.received",
                "postbus.mail.deliver.default", "postbus.mail.retry.5m", "postbus.mail.events", "postbus.mail.dead");
        assertThat(c.maxMessageBytes()).as("topics carry a whole 35 MiB message").isGreaterThan(35L << 20);
    }

    @Test
    void doubleBouncesGoToThePostmasterOfMyhostnameUnlessConfiguredOtherwise() {
        // The issue: double bounces go to postmaster (Postfix 2bounce_notice_recipient); empty drops them.
        assertThat(PostbusConfig.parse(Map.of("myhostname", "mx.example.com")).doubleBounceRecipient())
                .isEqualTo("postmaster@mx.example.com");
        assertThat(PostbusConfig.parse(Map.of("double.bounce.recipient", "ops@example.org")).doubleBounceRecipient())
                .isEqualTo("ops@example.org");
        assertThat(PostbusConfig.parse(Map.of("double.bounce.recipient", "")).doubleBounceRecipient()).isNull();
    }

    @Test
    void unknownKeysAndBadValuesAreAllReportedAtOnce() {
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("relay_host", "x", "message.size.limit", "lots",
                "mynetworks", "not-a-net")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2))
                .hasMessageContaining("unknown key 'relay_host' (did you mean 'relayhost'?)")
                .hasMessageContaining("'message.size.limit' = 'lots'");
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("mynetworks", "10.0.0.0/8 example.com")))
                .hasMessageContaining("mynetworks entry 'example.com'");
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("mydestination", "a.example", "relay.domains", "a.example")))
                .hasMessageContaining("domain a.example is listed in both mydestination and relay_domains");
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("smtp.listen", "2525")))
                .hasMessageContaining("smtp.listen must be host:port");
    }

    @Test
    void timeoutsAndClientRatesDefaultToValuesThatNeverBiteNormalSenders() {
        var ingress = PostbusConfig.parse(Map.of()).ingress();
        assertThat(ingress.timeouts()).isEqualTo(SessionTimeouts.DEFAULTS);
        assertThat(ingress.timeouts().command()).as("RFC 5321 §4.5.3.2.7").isEqualTo(Duration.ofMinutes(5));
        assertThat(ingress.limits().rates()).isEqualTo(new ClientRateLimits.Rates(10_000, 0, 0));
    }

    @Test
    void timeoutsAndClientRatesAreConfigurableAndTimeoutsMustBePositive() {
        var ingress = PostbusConfig.parse(Map.of("smtpd.timeout", "120s", "smtpd.record.deadline", "10s",
                "smtpd.data.timeout", "2m", "smtpd.bdat.timeout", "90s", "smtpd.tls.handshake.timeout", "15s",
                "smtpd.session.max.duration", "30m", "smtpd.client.command.rate.limit", "600",
                "smtpd.client.message.rate.limit", "30", "smtpd.client.recipient.rate.limit", "100")).ingress();
        assertThat(ingress.timeouts()).isEqualTo(new SessionTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(10),
                Duration.ofMinutes(2), Duration.ofSeconds(90), Duration.ofSeconds(15), Duration.ofMinutes(30)));
        assertThat(ingress.limits().rates()).isEqualTo(new ClientRateLimits.Rates(600, 30, 100));
        assertThatThrownBy(() -> PostbusConfig.parse(Map.of("smtpd.data.timeout", "0s", "smtpd.client.message.rate.limit", "-1")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2))
                .hasMessageContaining("smtpd.data.timeout")
                .hasMessageContaining("smtpd.client.message.rate.limit");
    }

    @Test
    void thePortFourSixFiveListenerMayTakeAProxyHeader() {
        PostbusConfig c = PostbusConfig.parse(Map.of("proxy.protocol.listeners", "submissions",
                "proxy.trusted.networks", "10.0.0.0/8"));
        assertThat(c.ingress().listeners()).filteredOn(l -> l.kind() == ListenerKind.SUBMISSIONS)
                .singleElement().satisfies(l -> assertThat(l.proxy().required()).isTrue());
        assertThat(c.ingress().listeners()).filteredOn(l -> l.kind() == ListenerKind.SMTP)
                .singleElement().satisfies(l -> assertThat(l.proxy().required()).isFalse());
    }

    @Test
    void anEmptyListenerIsSwitchedOff() {
        PostbusConfig c = PostbusConfig.parse(Map.of("submission.listen", "", "submissions.listen", ""));
        assertThat(c.ingress().listeners()).extracting(l -> l.kind()).containsExactly(ListenerKind.SMTP);
    }

    @Test
    void referenceDocumentsEveryKey() {
        String doc = PostbusSettings.DEF.toMarkdown();
        for (String key : PostbusSettings.keys()) {
            assertThat(doc).contains("`" + key + "`");
        }
    }

    @Test
    void theLauncherRefusesABadConfigurationWithExitCode78() {
        var err = new java.io.StringWriter();
        int code = Main.commandLine().setErr(new java.io.PrintWriter(err, true)).execute("up", "--set", "no.such.key=1");
        assertThat(code).isEqualTo(78);
        assertThat(err.toString()).contains("unknown key 'no.such.key'");
    }
}
