package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.net.Cidr;
import io.postbus.ingress.smtp.ClientRateLimits.Event;
import io.postbus.ingress.smtp.ClientRateLimits.Rates;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Per-client rates as Postfix's anvil keeps them (smtpd_client_message_rate_limit,
 * smtpd_client_recipient_rate_limit), as token buckets holding one minute's allowance.
 */
class ClientRateLimitsTest {
    private Instant now = Instant.parse("2026-11-21T12:00:00Z");
    private final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };
    private final RelayPolicy mynetworks = new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48")), Set.of());

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aMinutesAllowanceAtOnceThenOneEventPerIntervalAndARefusalCostsNothing() throws Exception {
        ClientRateLimits limits = new ClientRateLimits(new Rates(0, 3, 0), mynetworks, clock);
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            assertThat(limits.allows(Event.MESSAGE, a)).as("message %d", i + 1).isTrue();
        }
        assertThat(limits.allows(Event.MESSAGE, a)).isFalse();
        assertThat(limits.allows(Event.MESSAGE, a)).as("refusals are not counted, so no debt builds up").isFalse();
        now = now.plus(Duration.ofSeconds(19));
        assertThat(limits.allows(Event.MESSAGE, a)).as("one token back only after 60 s / 3").isFalse();
        now = now.plus(Duration.ofSeconds(1));
        assertThat(limits.allows(Event.MESSAGE, a)).isTrue();
        assertThat(limits.allows(Event.MESSAGE, a)).isFalse();
        now = now.plus(Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            assertThat(limits.allows(Event.MESSAGE, a)).as("a full bucket again, never more than full").isTrue();
        }
        assertThat(limits.allows(Event.MESSAGE, a)).isFalse();
    }

    @Test
    void eachEventHasItsOwnBudgetAndZeroMeansNoLimit() throws Exception {
        ClientRateLimits limits = new ClientRateLimits(new Rates(0, 1, 2), mynetworks, clock);
        InetAddress a = ip("192.0.2.1");
        assertThat(limits.allows(Event.MESSAGE, a)).isTrue();
        assertThat(limits.allows(Event.MESSAGE, a)).isFalse();
        assertThat(limits.allows(Event.RECIPIENT, a)).as("recipients are counted apart").isTrue();
        assertThat(limits.allows(Event.RECIPIENT, a)).isTrue();
        assertThat(limits.allows(Event.RECIPIENT, a)).isFalse();
        for (int i = 0; i < 100_000; i++) {
            assertThat(limits.allows(Event.COMMAND, a)).isTrue();
        }
    }

    @Test
    void otherClientsAreNotAffected() throws Exception {
        ClientRateLimits limits = new ClientRateLimits(new Rates(1, 0, 0), mynetworks, clock);
        assertThat(limits.allows(Event.COMMAND, ip("192.0.2.1"))).isTrue();
        assertThat(limits.allows(Event.COMMAND, ip("192.0.2.1"))).isFalse();
        assertThat(limits.allows(Event.COMMAND, ip("192.0.2.2"))).isTrue();
    }

    @Test
    void ipv6ClientsShareOneBudgetPerSlash64() throws Exception {
        ClientRateLimits limits = new ClientRateLimits(new Rates(0, 0, 2), mynetworks, clock);
        assertThat(limits.allows(Event.RECIPIENT, ip("2001:db8:1:2::1"))).isTrue();
        assertThat(limits.allows(Event.RECIPIENT, ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(limits.allows(Event.RECIPIENT, ip("2001:db8:1:2::99"))).as("same /64, new address: same bucket").isFalse();
        assertThat(limits.allows(Event.RECIPIENT, ip("2001:db8:1:3::1"))).as("the next /64 is someone else").isTrue();
    }

    @Test
    void mynetworksIsExempt() throws Exception {
        ClientRateLimits limits = new ClientRateLimits(new Rates(1, 1, 1), mynetworks, clock);
        for (int i = 0; i < 50; i++) {
            assertThat(limits.allows(Event.COMMAND, ip("127.0.0.1"))).isTrue();
            assertThat(limits.allows(Event.MESSAGE, ip("2001:db8:ffff:1::5"))).isTrue();
        }
    }

    @Test
    void repliesAreThePostfixOnes() throws Exception {
        InetAddress a = ip("192.0.2.7");
        assertThat(new String(ClientRateLimits.refusal(Event.COMMAND, "mx.test", a).toWire()))
                .isEqualTo("421 4.7.0 mx.test Error: too many commands from 192.0.2.7\r\n");
        assertThat(new String(ClientRateLimits.refusal(Event.MESSAGE, "mx.test", a).toWire()))
                .isEqualTo("450 4.7.1 Error: too much mail from 192.0.2.7\r\n");
        assertThat(new String(ClientRateLimits.refusal(Event.RECIPIENT, "mx.test", a).toWire()))
                .isEqualTo("450 4.7.1 Error: too many recipients from 192.0.2.7\r\n");
    }

    @Test
    void negativeRatesAreRefused() {
        assertThatThrownBy(() -> new Rates(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlyUsedClient() throws Exception {
        RateBuckets buckets = new RateBuckets(1, 2);
        assertThat(buckets.tryTake(ip("192.0.2.1"), 0)).isTrue();
        assertThat(buckets.tryTake(ip("192.0.2.2"), 0)).isTrue();
        assertThat(buckets.tryTake(ip("192.0.2.3"), 0)).isTrue();
        assertThat(buckets.trackedClients()).isEqualTo(2);
        assertThat(buckets.tryTake(ip("192.0.2.3"), 0)).as("still remembered").isFalse();
    }
}
