package io.postbus.ingress.dnsbl;

import static io.postbus.ingress.dnsbl.TestZones.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.dnsbl.DnsblVerdict.Decision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsblPolicyTest {

    @Test
    void verdictDecisionMustFollowFromTheScore() {
        assertThatThrownBy(() -> new DnsblVerdict(ip("192.0.2.1"), 2, 3, Decision.REJECT, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policyRejectsAThresholdThatWouldBlockUnlistedClients() {
        assertThatThrownBy(() -> DnsblPolicy.parse("zen.test", 0, Duration.ofSeconds(1)))
                .hasMessageContaining("postscreen_dnsbl_threshold");
        assertThatThrownBy(() -> DnsblPolicy.parse("zen.test", 1, Duration.ZERO))
                .hasMessageContaining("deadline");
        assertThat(DnsblPolicy.parse("a.test=127.0.0.2*2 b.test a.test*1", 1, Duration.ofSeconds(1)).zones())
                .containsExactly("a.test", "b.test");
        assertThat(DnsblPolicy.DISABLED.enabled()).isFalse();
    }
}
