package io.postbus.delivery.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.delivery.route.NextHop;
import org.junit.jupiter.api.Test;

/** LMTP next hops as the router writes them: the host itself, never its MX; port 24 by default. */
class LmtpNextHopTest {
    @Test
    void hostsAreConnectedToDirectlyOnTheGivenPortOr24() {
        assertThat(SmtpDeliveryAgent.lmtpHop("[10.0.0.5]:2003")).isEqualTo(new NextHop("10.0.0.5", 2003, false));
        assertThat(SmtpDeliveryAgent.lmtpHop("mailstore.example.net:24")).isEqualTo(new NextHop("mailstore.example.net", 24, false));
        assertThat(SmtpDeliveryAgent.lmtpHop("inet:mailstore.example.net")).isEqualTo(new NextHop("mailstore.example.net", 24, false));
        assertThat(SmtpDeliveryAgent.lmtpHop("[mailstore.example.net]")).isEqualTo(new NextHop("mailstore.example.net", 24, false));
    }

    @Test
    void aUnixSocketOrNoHopIsRefused() {
        assertThatThrownBy(() -> SmtpDeliveryAgent.lmtpHop("unix:private/dovecot-lmtp")).hasMessageContaining("UNIX-domain");
        assertThatThrownBy(() -> SmtpDeliveryAgent.lmtpHop(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
