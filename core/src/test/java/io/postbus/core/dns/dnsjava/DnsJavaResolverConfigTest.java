package io.postbus.core.dns.dnsjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsJavaResolverConfigTest {
    private static final DnsJavaResolverConfig LOCAL =
            DnsJavaResolverConfig.forServers(List.of(new InetSocketAddress("127.0.0.1", 53)));

    @Test
    void defaultsComeFromTheSystemConfiguration() {
        DnsJavaResolverConfig c = DnsJavaResolverConfig.defaults();
        assertThat(c.servers()).isNotEmpty();
        assertThat(c.timeout()).isEqualTo(DnsJavaResolverConfig.DEFAULT_TIMEOUT);
        assertThat(c.failureTtl()).as("failures are not cached by default").isZero();
    }

    @Test
    void invalidSettingsAreRejectedAtConstruction() {
        assertThatThrownBy(() -> LOCAL.withServers(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LOCAL.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LOCAL.withRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LOCAL.withCacheSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LOCAL.withMaxNegativeTtl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withersChangeOneSetting() {
        DnsJavaResolverConfig c = LOCAL.withRetries(4);
        assertThat(c.retries()).isEqualTo(4);
        assertThat(c).isEqualTo(new DnsJavaResolverConfig(LOCAL.servers(), LOCAL.timeout(), 4, LOCAL.cacheSize(),
                LOCAL.maxTtl(), LOCAL.maxNegativeTtl(), LOCAL.failureTtl()));
    }
}
