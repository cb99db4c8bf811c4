package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.nio.charset.StandardCharsets;
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
 * The auth-worker in the real pipeline: originating mail is DKIM-signed and still verifies as
 * delivered (no later stage touches the signed bytes); inbound mail gets our one
 * Authentication-Results header, and a DMARC failure under p=reject is quarantined, never bounced.
 */
class AuthEndToEndTest {
    @TempDir
    Path tmp;

    private SmtpSink sink;
    private Pipeline pipeline;
    private PostbusConfig config;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void originatingMailIsDualSignedAndStillVerifiesAsDelivered() throws Exception {
        Path zones = Files.createDirectories(tmp.resolve("zones"));
        var gen = new DkimKeyGenerator();
        var rsa = gen.generate(KeyType.RSA, 2048, "example.com", "rsa26", tmp.resolve("rsa26.private"));
        var ed = gen.generate(KeyType.ED25519, 0, "example.com", "ed26", tmp.resolve("ed26.private"));
        Files.writeString(zones.resolve("example.com.zone"), "$ORIGIN example.com.\n@ 300 IN A 192.0.2.1\n"
                + rsa.zoneText() + ed.zoneText());
        Files.writeString(tmp.resolve("KeyTable"), "rsa26 example.com:rsa26:" + rsa.privateKeyFile() + "\n"
                + "ed26 example.com:ed26:" + ed.privateKeyFile() + "\n");
        Files.writeString(tmp.resolve("SigningTable"), "*@example.com rsa26\n*@example.com ed26\n");
        start(Map.of("dns.zone.dir", zones.toString(),
                "dkim.key.table", "file:" + tmp.resolve("KeyTable"),
                "dkim.signing.table", "refile:" + tmp.resolve("SigningTable")));

        Path data = tmp.resolve("m.eml");
        Files.writeString(data, "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: signed on the way out\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nGrüße — 8-bit body stays as it is.\r\n.dot-stuffed line\r\nend", StandardCharsets.UTF_8);
        String queueId = Swaks.queueId(Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), "alice@example.com", "bob@example.net", data));

        assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).isTrue();
        byte[] delivered = sink.messages().get(0).data();
        List<DkimResult> results = new DkimVerifier(ZoneFileResolver.fromDirectory(zones), Clock.systemUTC(),
                DkimVerifier.Settings.defaults()).verify(RawMessage.parse(delivered));
        assertThat(results).extracting(DkimResult::verdict).containsExactly(DkimVerdict.PASS, DkimVerdict.PASS);
        assertThat(results).extracting(DkimResult::algorithm).containsExactlyInAnyOrder("rsa-sha256", "ed25519-sha256");
        assertThat(new String(delivered, StandardCharsets.UTF_8)).doesNotContain("Authentication-Results");
        events(queueId, EventType.DELIVERY);
    }

    @Test
    void inboundMailGetsOneHeaderAndForgedDmarcRejectMailIsQuarantined() throws Exception {
        Path zones = Files.createDirectories(tmp.resolve("zones"));
        Files.writeString(zones.resolve("bank.test.zone"), "$ORIGIN bank.test.\n@ 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
                + "_dmarc 300 IN TXT \"v=DMARC1; p=reject\"\n");
        Files.writeString(zones.resolve("shop.test.zone"), "$ORIGIN shop.test.\n@ 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
                + "_dmarc 300 IN TXT \"v=DMARC1; p=quarantine\"\n");
        Files.writeString(zones.resolve("friend.test.zone"), "$ORIGIN friend.test.\n@ 300 IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n");
        start(Map.of("dns.zone.dir", zones.toString(), "mynetworks", "192.0.2.0/24", "relay.domains", "postbus.test"));
        int port = pipeline.smtpPorts().get(ListenerKind.SMTP);
        Path data = tmp.resolve("m.eml");

        Files.writeString(data, "Authentication-Results: postbus.test; dmarc=pass header.from=bank.test\r\n"
                + "From: Your Bank <security@bank.test>\r\nTo: bob@postbus.test\r\nSubject: verify your account\r\n\r\nclick here\r\n");
        String forged = Swaks.queueId(Swaks.send(port, "security@bank.test", "bob@postbus.test", data));
        List<LifecycleEvent> forgedEvents = events(forged, EventType.QUARANTINED);
        assertThat(EventLog.typesOf(forgedEvents, forged)).doesNotContain(EventType.DELIVERY, EventType.BOUNCE);

        Files.writeString(data, "From: A Friend <pal@friend.test>\r\nTo: bob@postbus.test\r\nSubject: lunch?\r\n\r\nnoon\r\n");
        String genuine = Swaks.queueId(Swaks.send(port, "pal@friend.test", "bob@postbus.test", data));
        events(genuine, EventType.DELIVERY);
        assertThat(sink.messages()).as("only the genuine message is delivered").hasSize(1);
        ReceivedMessage got = sink.messages().get(0);
        RawMessage m = RawMessage.parse(got.data());
        assertThat(m.headers("Authentication-Results")).singleElement().satisfies(h -> assertThat(h.unfoldedValue())
                .startsWith(" postbus.test;").contains("spf=pass", "smtp.mailfrom=friend.test", "dkim=none", "dmarc=none"));
        assertThat(m.headers("X-Spam")).isEmpty();

        // p=quarantine: by default (dmarc.quarantine.action = spam-flag) delivered, flagged as spam.
        Files.writeString(data, "From: Shop <offers@shop.test>\r\nTo: bob@postbus.test\r\nSubject: deal\r\n\r\nbuy\r\n");
        String flagged = Swaks.queueId(Swaks.send(port, "offers@shop.test", "bob@postbus.test", data));
        events(flagged, EventType.DELIVERY);
        RawMessage spam = RawMessage.parse(sink.messages().get(1).data());
        assertThat(spam.headers("X-Spam")).singleElement().satisfies(h -> assertThat(h.unfoldedValue()).isEqualTo(" Yes"));
        assertThat(spam.headers("Authentication-Results").get(0).unfoldedValue()).contains("dmarc=fail (p=quarantine dis=quarantine)");
    }

    private void start(Map<String, String> extra) {
        sink = SmtpSink.start();
        Map<String, String> s = TestPipelines.settings("auth", sink.port());
        s.put("myhostname", "postbus.test");
        s.putAll(extra);
        config = PostbusConfig.parse(s);
        pipeline = Pipeline.start(config, Component.all(), Clock.systemUTC(), null);
    }

    private List<LifecycleEvent> events(String queueId, EventType until) {
        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, until), Duration.ofSeconds(60));
            assertThat(EventLog.typesOf(events, queueId)).containsSubsequence(EventType.RECEPTION, until);
            return events;
        }
    }
}
