package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.auth.PasswordHashes;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Postbus relaying through another as its smarthost: the client pipeline's relayhost is the
 * relay pipeline's submission listener (STARTTLS, then AUTH against its users file), with the
 * credentials from delivery.sasl.password.maps. The relay hands the mail to a sink.
 */
class SmarthostPipelineTest {
    @TempDir
    Path tmp;

    private SmtpSink sink;
    private Pipeline relay;
    private Pipeline client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void relaysThroughAnotherPostbusWithScramOverStartTls() throws Exception {
        sink = SmtpSink.start();
        // The relay's user has a SCRAM-SHA-256 hash, so the client's preferred mechanism works.
        Path users = Files.writeString(tmp.resolve("users"), "relayuser:" + PasswordHashes.scramSha256("pa:ss word", 4096) + "\n");
        Map<String, String> r = TestPipelines.settings("smarthost-relay", sink.port());
        r.put("myhostname", "relay.postbus.test");
        r.put("submission.listen", "127.0.0.1:0");
        r.put("smtpd.users.file", users.toString());
        relay = Pipeline.start(PostbusConfig.parse(r), Component.all(), Clock.systemUTC(), null);
        int submission = relay.smtpPorts().get(ListenerKind.SUBMISSION);

        Path passwords = Files.writeString(tmp.resolve("sasl_passwd"),
                "[127.0.0.1]:" + submission + "  relayuser:pa:ss word\n");
        Map<String, String> c = TestPipelines.settings("smarthost-client", submission);
        c.put("delivery.sasl.password.maps", passwords.toString());
        c.put("lookup.table.reload.interval", "1s");
        PostbusConfig clientConfig = PostbusConfig.parse(c);
        client = Pipeline.start(clientConfig, Component.all(), Clock.systemUTC(), null);

        Path data = tmp.resolve("m.eml");
        Files.writeString(data, "From: alice@postbus.test\r\nTo: bob@far.test\r\nSubject: via the smarthost\r\n\r\nhello\r\n");
        String queued = Swaks.queueId(Swaks.send(client.smtpPorts().get(ListenerKind.SMTP), "alice@postbus.test",
                "bob@far.test", data));
        LifecycleEvent delivered = event(client, clientConfig, queued, EventType.DELIVERY);
        assertThat(delivered.getRemoteAddress()).isEqualTo("127.0.0.1");
        assertThat(delivered.getTls()).as("AUTH only inside TLS").isNotNull();
        assertThat(delivered.getReply().getCode()).isEqualTo(250);
        assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).isTrue();
        assertThat(new String(sink.messages().get(0).data(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Subject: via the smarthost")
                .as("the relay's Received line says the client authenticated").containsPattern("with ESMTPS?A");

        // A wrong password: the relay's 535 defers (Postfix smtp_sasl_auth_soft_bounce), with its text.
        Files.writeString(passwords, "[127.0.0.1]:" + submission + "  relayuser:wrong-password-now\n");
        Thread.sleep(1500); // past the table's reload interval
        String refused = Swaks.queueId(Swaks.send(client.smtpPorts().get(ListenerKind.SMTP), "alice@postbus.test",
                "carol@far.test", data));
        LifecycleEvent deferred = event(client, clientConfig, refused, EventType.TRANSIENT_FAILURE);
        assertThat(deferred.getReply().getCode()).isEqualTo(454);
        assertThat(deferred.getReply().getEnhancedStatus()).isEqualTo("4.7.8");
        assertThat(deferred.getReply().getText()).contains("SASL authentication failed").contains("535");
        assertThat(sink.messages()).hasSize(1);
    }

    private static LifecycleEvent event(Pipeline p, PostbusConfig config, String queueId, EventType type) {
        try (EventLog log = new EventLog(p.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, type), Duration.ofSeconds(60));
            return events.stream().filter(e -> e.getQueueId().equals(queueId) && e.getType() == type).findFirst()
                    .orElseThrow();
        }
    }
}
