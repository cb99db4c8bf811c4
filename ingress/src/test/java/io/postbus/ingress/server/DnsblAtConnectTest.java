package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.ingress.dnsbl.DnsblPolicy;
import io.postbus.ingress.proxy.ProxyPolicy;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client listed in a DNSBL (real zone data) is refused in place of the banner; others are greeted. */
class DnsblAtConnectTest {
    private static IngressFixture ingress;

    @BeforeAll
    static void start() throws Exception {
        ZoneFileResolver dns = ZoneFileResolver.fromString("bl.test", """
                $TTL 300
                @                  IN SOA ns.bl.test. hostmaster.bl.test. 1 3600 600 86400 300
                @                  IN NS  ns.bl.test.
                ; RFC 5782 §2.1: the reversed address under the list's zone; 127.0.0.2 = listed
                9.113.0.203        IN A   127.0.0.2
                9.113.0.203        IN TXT "listed for testing"
                """);
        // Behind a (loopback) proxy, so the client addresses can be outside mynetworks.
        ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("dnsbl"), Duration.ofSeconds(10),
                List.of(new ListenerConfig(ListenerKind.SMTP, "127.0.0.1", 0, ProxyPolicy.required("127.0.0.0/8"), Duration.ZERO)),
                IngressConfig.Limits.DEFAULTS, DnsblPolicy.parse("bl.test*2", 2, Duration.ofSeconds(5)), dns);
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
    }

    @Test
    void aListedClientGets554InsteadOfTheBanner() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.send("PROXY TCP4 203.0.113.9 192.0.2.1 40000 25\r\n");
            assertThat(c.reply()).isEqualTo("554 5.7.1 Service unavailable; client [203.0.113.9] blocked using bl.test\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anUnlistedClientIsGreeted() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.send("PROXY TCP4 203.0.113.10 192.0.2.1 40000 25\r\n");
            assertThat(c.reply()).startsWith("220 mx.test");
        }
    }
}
