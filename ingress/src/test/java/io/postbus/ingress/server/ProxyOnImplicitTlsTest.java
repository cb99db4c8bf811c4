package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.dnsbl.DnsblPolicy;
import io.postbus.ingress.proxy.ProxyPolicy;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.smtp.SessionTimeouts;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Port 465 behind a TLS-passthrough balancer: the PROXY header (v1 or v2) comes in clear text,
 * then the client's TLS handshake, then SMTP inside TLS. The client address recorded is the
 * header's, in the envelope and in the Received header.
 */
class ProxyOnImplicitTlsTest {
    private static IngressFixture ingress;

    @BeforeAll
    static void start() throws Exception {
        SessionTimeouts t = new SessionTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofHours(1));
        ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("proxy-465"), Duration.ofSeconds(10),
                List.of(new ListenerConfig(ListenerKind.SUBMISSIONS, "127.0.0.1", 0, ProxyPolicy.required("127.0.0.0/8"), Duration.ZERO)),
                IngressConfig.Limits.DEFAULTS, DnsblPolicy.DISABLED, null, t);
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
    }

    private static int port() {
        return ingress.port(ListenerKind.SUBMISSIONS);
    }

    /** PROXY v2 (§2.2): signature, PROXY command, TCP over IPv4 or IPv6, addresses, ports. */
    private static String v2(String client, String server, int clientPort, int serverPort) throws IOException {
        byte[] src = InetAddress.getByName(client).getAddress();
        byte[] dst = InetAddress.getByName(server).getAddress();
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        int length = 2 * src.length + 4;
        h.writeBytes(new byte[] {0x21, (byte) (src.length == 4 ? 0x11 : 0x21), (byte) (length >> 8), (byte) length});
        h.writeBytes(src);
        h.writeBytes(dst);
        h.writeBytes(new byte[] {(byte) (clientPort >> 8), (byte) clientPort, (byte) (serverPort >> 8), (byte) serverPort});
        return h.toString(StandardCharsets.ISO_8859_1);
    }

    /** AUTH, one message, and the record Kafka got for it. */
    private static ReceivedMail sendOverTls(RawSmtp c, String subject) throws Exception {
        assertThat(c.reply()).startsWith("220 mx.test");
        c.send("EHLO client.example\r\n");
        assertThat(c.reply()).contains("250-AUTH");
        String plain = Base64.getEncoder().encodeToString(("\0" + IngressFixture.USER + "\0" + IngressFixture.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        c.send("AUTH PLAIN " + plain + "\r\n");
        assertThat(c.reply()).startsWith("235 2.7.0");
        c.send("MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@elsewhere.org>\r\nDATA\r\n");
        assertThat(c.reply()).startsWith("250 2.1.0");
        assertThat(c.reply()).startsWith("250 2.1.5");
        assertThat(c.reply()).startsWith("354");
        c.send("Subject: " + subject + "\r\n\r\nbody\r\n.\r\n");
        Matcher m = Pattern.compile("queued as (\\S+)").matcher(c.reply());
        assertThat(m.find()).isTrue();
        return ingress.received(Duration.ofSeconds(2)).stream()
                .filter(r -> r.getEnvelope().getQueueId().equals(m.group(1))).findFirst().orElseThrow();
    }

    private static String text(ReceivedMail m) {
        return IngressFixture.text(m);
    }

    @Test
    void aV1HeaderThenTheTlsHandshake() throws Exception {
        try (RawSmtp c = new RawSmtp(port())) {
            c.send("PROXY TCP4 203.0.113.9 192.0.2.1 40123 465\r\n");
            c.startTls(); // TLS from the first byte after the header, as on any port-465 connection
            ReceivedMail mail = sendOverTls(c, "v1 before tls");
            assertThat(mail.getEnvelope().getClient().getAddress()).isEqualTo("203.0.113.9");
            assertThat(mail.getEnvelope().getClient().getPort()).isEqualTo(40123);
            assertThat(mail.getEnvelope().getListener().name()).isEqualTo("SUBMISSIONS");
            assertThat(mail.getEnvelope().getClient().getProtocol()).isEqualTo("ESMTPSA");
            assertThat(text(mail)).contains("(unknown [203.0.113.9])").contains("(using TLSv1.");
        }
    }

    @Test
    void aV2HeaderWithAnIpv6ClientThenTheTlsHandshake() throws Exception {
        try (RawSmtp c = new RawSmtp(port())) {
            c.send(v2("2001:db8::77", "2001:db8::25", 50000, 465));
            c.startTls();
            ReceivedMail mail = sendOverTls(c, "v2 before tls");
            assertThat(InetAddress.getByName(mail.getEnvelope().getClient().getAddress()))
                    .isEqualTo(InetAddress.getByName("2001:db8::77"));
            assertThat(text(mail)).contains("[IPv6:2001:db8:0:0:0:0:0:77]");
        }
    }

    @Test
    void aClientHelloInTheSameSegmentAsTheHeaderIsNotLost() throws Exception {
        try (CoalescingProxy nlb = new CoalescingProxy(port(), v2("198.51.100.4", "192.0.2.1", 61000, 465)
                .getBytes(StandardCharsets.ISO_8859_1));
             RawSmtp c = new RawSmtp(nlb.port())) {
            c.startTls();
            ReceivedMail mail = sendOverTls(c, "coalesced");
            assertThat(mail.getEnvelope().getClient().getAddress()).isEqualTo("198.51.100.4");
        }
    }

    @Test
    void aTlsClientWithoutHeaderIsRefused() throws Exception {
        try (RawSmtp c = new RawSmtp(port())) {
            assertThatThrownBy(c::startTls).as("a ClientHello is not a PROXY header: closed, no handshake")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aHeaderWithoutHandshakeIsClosedAfterTheTlsTimeout() throws Exception {
        try (RawSmtp c = new RawSmtp(port())) {
            c.send("PROXY TCP4 203.0.113.9 192.0.2.1 40123 465\r\n");
            long start = System.nanoTime();
            assertThat(c.untilClosed()).doesNotContain("220");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(800L, 4000L);
        }
    }
}
