package io.postbus.delivery.route;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lookup keys of smtp_sasl_password_maps: the remote host first, then the next hop as written. */
class SaslPasswordMapTest {

    @Test
    void relayhostWithPort() {
        assertThat(SaslPasswordMap.keys(NextHop.parse("[mail.isp.example]:587"), "mail.isp.example"))
                .containsExactly("mail.isp.example", "[mail.isp.example]:587");
    }

    @Test
    void bracketedHostOnPort25AlsoMatchesWithoutThePort() {
        assertThat(SaslPasswordMap.keys(NextHop.parse("[relay.example]"), "relay.example"))
                .containsExactly("relay.example", "[relay.example]:25", "[relay.example]");
    }

    @Test
    void aDomainByMxHasNoParentDomainKeys() {
        // Unlike the TLS policy map's ".example.net": a password belongs to one server.
        assertThat(SaslPasswordMap.keys(NextHop.parse("relay.example.net"), "MX1.relay.example.net"))
                .containsExactly("mx1.relay.example.net", "relay.example.net");
    }
}
