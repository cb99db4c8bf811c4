package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.proxy.ProxyPolicy;
import io.postbus.ingress.smtp.ClientRateLimits;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-client rates over real sockets (Postfix's smtpd_client_message_rate_limit and
 * smtpd_client_recipient_rate_limit, plus a command ceiling), counted across sessions on the
 * node. The listener sits behind a PROXY header so that clients can come from addresses outside
 * mynetworks; each test uses its own address, so each starts with a full budget.
 */
class ClientRateLimitTest {
    private static IngressFixture ingress;

    @BeforeAll
    static void start() throws Exception {
        ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("rates"), Duration.ofSeconds(10),
                List.of(new ListenerConfig(ListenerKind.SMTP, "127.0.0.1", 0, ProxyPolicy.required("127.0.0.0/8"), Duration.ZERO)),
                new IngressConfig.Limits(1000, 50, 0, new ClientRateLimits.Rates(12, 2, 3)));
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
    }

    private static RawSmtp client(String from) throws Exception {
        RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP));
        String family = from.contains(":") ? "TCP6" : "TCP4";
        String server = from.contains(":") ? "2001:db8::25" : "192.0.2.25";
        c.send("PROXY " + family + " " + from + " " + server + " 40000 25\r\n");
        assertThat(c.reply()).startsWith("220 ");
        return c;
    }

    @Test
    void aCommandFloodIsCutOffWith421AndTheNextSessionToo() throws Exception {
        try (RawSmtp c = client("203.0.113.1")) {
            c.send("EHLO flood.example\r\n");
            assertThat(c.reply()).startsWith("250-");
            for (int i = 2; i <= 12; i++) {
                c.send("NOOP\r\n");
                assertThat(c.reply()).as("command %d", i).startsWith("250 ");
            }
            c.send("NOOP\r\n");
            assertThat(c.reply()).isEqualTo("421 4.7.0 mx.test Error: too many commands from 203.0.113.1\n");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawSmtp c = client("203.0.113.1")) {
            c.send("EHLO flood.example\r\n");
            assertThat(c.reply()).as("counted per client across sessions").startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawSmtp c = client("203.0.113.2")) {
            c.send("EHLO other.example\r\n");
            assertThat(c.reply()).as("another client has its own budget").startsWith("250-");
        }
    }

    /** One MAIL, then RSET; the reply to MAIL. */
    private static String mailAndReset(RawSmtp c) throws Exception {
        c.send("MAIL FROM:<a@example.net>\r\nRSET\r\n");
        String mail = c.reply();
        c.reply();
        return mail;
    }

    @Test
    void aThirdMessageInAMinuteGets450AtMailEvenInANewSession() throws Exception {
        try (RawSmtp c = client("203.0.113.3")) {
            c.send("EHLO bulk.example\r\n");
            c.reply();
            assertThat(mailAndReset(c)).startsWith("250 2.1.0");
        }
        try (RawSmtp c = client("203.0.113.3")) {
            c.send("EHLO bulk.example\r\n");
            c.reply();
            assertThat(mailAndReset(c)).startsWith("250 2.1.0");
            assertThat(mailAndReset(c)).isEqualTo("450 4.7.1 Error: too much mail from 203.0.113.3\n");
            c.send("QUIT\r\n");
            assertThat(c.reply()).as("the session goes on").startsWith("221 ");
        }
    }

    @Test
    void recipientsAreCountedPerSlash64ForIpv6Clients() throws Exception {
        try (RawSmtp c = client("2001:db8:5:6::1")) {
            c.send("EHLO v6.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n");
            c.reply();
            c.reply();
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("250 2.1.5");
        }
        try (RawSmtp c = client("2001:db8:5:6:abcd::2")) {
            c.send("EHLO v6.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<c@example.com>\r\nRCPT TO:<d@example.com>\r\n");
            c.reply();
            c.reply();
            assertThat(c.reply()).as("third recipient of the /64").startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("450 4.7.1 Error: too many recipients from 2001:db8:5:6:abcd:0:0:2");
        }
    }

    @Test
    void mynetworksIsExempt() throws Exception {
        try (RawSmtp c = client("127.0.0.9")) {
            c.send("EHLO local.example\r\n");
            c.reply();
            for (int i = 0; i < 5; i++) {
                c.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nRSET\r\n");
                assertThat(c.reply()).startsWith("250 2.1.0");
                for (int r = 0; r < 3; r++) {
                    assertThat(c.reply()).startsWith("250 2.1.5");
                }
                assertThat(c.reply()).startsWith("250 2.0.0");
            }
        }
    }
}
