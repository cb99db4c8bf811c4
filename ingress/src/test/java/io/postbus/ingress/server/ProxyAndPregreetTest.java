package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.proxy.ProxyPolicy;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.TestKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listeners behind a load balancer (PROXY protocol) and the pregreet test, over real sockets. */
class ProxyAndPregreetTest {
    private static IngressFixture ingress;
    private static IngressFixture untrusting;

    @BeforeAll
    static void start() throws Exception {
        // SMTP behind a proxy on loopback; SUBMISSION with a 300 ms greet pause.
        ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("proxy"), Duration.ofSeconds(10), List.of(
                new ListenerConfig(ListenerKind.SMTP, "127.0.0.1", 0, ProxyPolicy.required("127.0.0.0/8"), Duration.ZERO),
                new ListenerConfig(ListenerKind.SUBMISSION, "127.0.0.1", 0, ProxyPolicy.off(), Duration.ofMillis(300))));
        untrusting = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("proxy-untrusted"), Duration.ofSeconds(10),
                List.of(new ListenerConfig(ListenerKind.SMTP, "127.0.0.1", 0, ProxyPolicy.required("10.0.0.0/8"), Duration.ZERO)));
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
        untrusting.close();
    }

    @Test
    void theClientAddressComesFromTheProxyHeader() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            assertThat(c.silentFor(300)).as("no banner before the header").isTrue();
            c.send("PROXY TCP4 203.0.113.9 192.0.2.1 40123 25\r\n");
            assertThat(c.reply()).startsWith("220 mx.test");
            c.send("EHLO client.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
            c.reply();
            c.reply();
            assertThat(c.reply()).as("example.com is ours: taken from anyone").startsWith("250 2.1.5");
            c.reply();
            c.send("Subject: via proxy\r\n\r\nx\r\n.\r\n");
            Matcher m = Pattern.compile("queued as (\\S+)").matcher(c.reply());
            assertThat(m.find()).isTrue();
            ReceivedMail mail = ingress.received(Duration.ofSeconds(2)).stream()
                    .filter(r -> r.getEnvelope().getQueueId().equals(m.group(1))).findFirst().orElseThrow();
            assertThat(mail.getEnvelope().getClient().getAddress()).isEqualTo("203.0.113.9");
            assertThat(mail.getEnvelope().getClient().getPort()).isEqualTo(40123);
            assertThat(mail.getEnvelope().getDirection().name()).as("203.0.113.9 is not in mynetworks").isEqualTo("INBOUND");
            ByteBuffer b = mail.getMessage().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            assertThat(new String(bytes, StandardCharsets.US_ASCII)).contains("(unknown [203.0.113.9])");
        }
    }

    @Test
    void theRealAddressDecidesRelayingNotTheProxys() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.send("PROXY TCP4 203.0.113.9 192.0.2.1 40123 25\r\n");
            c.reply();
            c.send("EHLO x\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<someone@elsewhere.org>\r\n");
            c.reply();
            c.reply();
            assertThat(c.reply()).startsWith("554 5.7.1");
        }
    }

    @Test
    void aConnectionWithoutHeaderIsClosedWithoutReply() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.send("EHLO sneaky.example\r\n");
            assertThat(c.reply()).isNull();
        }
    }

    @Test
    void anUntrustedPeerIsClosedAtOnce() throws Exception {
        try (RawSmtp c = new RawSmtp(untrusting.port(ListenerKind.SMTP))) {
            c.send("PROXY TCP4 203.0.113.9 192.0.2.1 40123 25\r\n");
            assertThat(c.reply()).isNull();
        }
    }

    @Test
    void smtpBytesRightBehindTheHeaderArePregreet() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.send("PROXY TCP4 203.0.113.9 192.0.2.1 40123 25\r\nEHLO bot.example\r\n");
            assertThat(c.reply()).isEqualTo("554 5.5.1 Error: talked before the greeting\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatTalksDuringTheGreetPauseIsRefused() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SUBMISSION))) {
            c.send("EHLO bot.example\r\n");
            assertThat(c.reply()).isEqualTo("554 5.5.1 Error: talked before the greeting\n");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SUBMISSION))) {
            long start = System.nanoTime();
            assertThat(c.reply()).startsWith("220 ");
            assertThat((System.nanoTime() - start) / 1_000_000).as("banner after the pause").isGreaterThanOrEqualTo(250);
        }
    }
}
