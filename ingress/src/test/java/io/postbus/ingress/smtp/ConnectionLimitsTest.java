package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.net.Cidr;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
    private Instant now = Instant.parse("2026-11-21T12:00:00Z");
    private final Clock clock = new Clock() {
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };
    private final RelayPolicy trusted = new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of());

    @Test
    void concurrentSessionsPerClientAreCappedAndFreedOnRelease() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(100, 2, 0, trusted, clock);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        assertThat(limits.admit(a)).isEmpty();
        assertThat(limits.admit(a)).isEmpty();
        assertThat(limits.admit(a)).get().extracting(Reply::code).isEqualTo(421);
        assertThat(limits.admit(InetAddress.getByName("192.0.2.2"))).as("another client is not affected").isEmpty();
        limits.release(a);
        assertThat(limits.admit(a)).isEmpty();
        assertThat(limits.openSessions()).isEqualTo(3);
    }

    @Test
    void totalSessionsAreCappedForEveryoneIncludingTrustedClients() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(2, 50, 0, trusted, clock);
        InetAddress local = InetAddress.getByName("127.0.0.1");
        assertThat(limits.admit(local)).isEmpty();
        assertThat(limits.admit(local)).isEmpty();
        assertThat(limits.admit(local)).get().extracting(Reply::enhanced).isEqualTo("4.3.2");
    }

    @Test
    void connectionRatePerMinuteWithAFreshWindowEachMinute() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(100, 100, 3, trusted, clock);
        InetAddress a = InetAddress.getByName("2001:db8::1");
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admit(a)).isEmpty();
            limits.release(a);
        }
        assertThat(limits.admit(a)).get().extracting(r -> r.lines().get(0)).asString().contains("too many connections from");
        now = now.plus(Duration.ofSeconds(61));
        assertThat(limits.admit(a)).isEmpty();
    }

    @Test
    void mynetworksIsExemptFromPerClientLimits() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(100, 1, 1, trusted, clock);
        InetAddress local = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 10; i++) {
            assertThat(limits.admit(local)).isEmpty();
        }
    }
}
