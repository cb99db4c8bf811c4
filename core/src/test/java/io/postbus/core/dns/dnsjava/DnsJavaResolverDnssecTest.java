package io.postbus.core.dns.dnsjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.TlsaRecord;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.dns.zone.ZoneServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The AD bit (RFC 6840 §5.7) over the wire, against a loopback server that plays a validating
 * resolver for one "signed" zone, and TLSA records read from real responses.
 */
class DnsJavaResolverDnssecTest {
    private ZoneServer server;

    @BeforeEach
    void start() throws IOException {
        server = ZoneServer.start(ZoneFileResolver.fromString("signed.test", """
                        $TTL 300
                        @            SOA ns hostmaster 1 1 1 1 1
                        @            MX  10 mx
                        mx           A   192.0.2.25
                        _25._tcp.mx  TLSA 3 1 1 0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20
                        alias        CNAME mx.unsigned.test.
                        """)
                .withZone("unsigned.test", """
                        $TTL 300
                        @            SOA ns hostmaster 1 1 1 1 1
                        mx           A   192.0.2.26
                        """)
                .withSignedZones("signed.test"));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private DnsJavaResolver resolver(DnssecTrust trust) {
        return new DnsJavaResolver(DnsJavaResolverConfig.forServers(List.of(server.address()))
                .withTimeout(Duration.ofMillis(500)).withRetries(0).withDnssecTrust(trust), Clock.systemUTC());
    }

    @Test
    void trustedAdBitMakesTheAnswerAuthenticated() {
        DnsJavaResolver r = resolver(DnssecTrust.AD_BIT);
        assertThat(r.tlsa("_25._tcp.mx.signed.test")).isEqualTo(DnsResult.authenticatedAnswer(List.of(
                new TlsaRecord(3, 1, 1, HexFormat.of().parseHex(
                        "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20")))));
        assertThat(r.mx("signed.test").isAuthenticated()).isTrue();
        assertThat(r.a("mx.unsigned.test").isAuthenticated()).as("no AD from the server").isFalse();
        assertThat(r.a("alias.signed.test").isAuthenticated()).as("chain into an unsigned zone").isFalse();
    }

    @Test
    void byDefaultTheAdBitIsNotBelieved() {
        DnsJavaResolver r = resolver(DnsJavaResolverConfig.forServers(List.of(server.address())).dnssecTrust());
        assertThat(r.mx("signed.test")).isInstanceOf(DnsResult.Answer.class);
        assertThat(r.mx("signed.test").isAuthenticated()).isFalse();
        assertThat(r.tlsa("_25._tcp.mx.signed.test").isAuthenticated()).isFalse();
    }

    @Test
    void rfc6840Section57TheAdBitIsReadFromTheResponseHeader() throws Exception {
        Message response = Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString("x.test."), Type.A, 1));
        assertThat(ResponseReader.authenticData(response)).isFalse();
        response.getHeader().setFlag(Flags.AD);
        assertThat(ResponseReader.authenticData(response)).isTrue();
    }

    @Test
    void configNamesAreStrict() {
        assertThat(DnssecTrust.fromConfigName("ad-bit")).contains(DnssecTrust.AD_BIT);
        assertThat(DnssecTrust.fromConfigName(" NONE ")).contains(DnssecTrust.NONE);
        assertThat(DnssecTrust.fromConfigName("yes")).isEmpty();
        assertThat(DnssecTrust.fromConfigName(null)).isEmpty();
    }
}
