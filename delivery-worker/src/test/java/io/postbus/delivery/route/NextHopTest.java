package io.postbus.delivery.route;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Postfix relayhost syntax: brackets suppress the MX lookup, the port defaults to 25. */
class NextHopTest {

    @Test
    void bareDomainLooksUpMxOnPort25() {
        assertThat(NextHop.parse("Example.COM.")).isEqualTo(new NextHop("example.com", 25, true));
    }

    @Test
    void domainWithPort() {
        assertThat(NextHop.parse("example.com:2525")).isEqualTo(new NextHop("example.com", 2525, true));
    }

    @Test
    void bracketsMeanNoMxLookup() {
        assertThat(NextHop.parse("[smtp.example.com]")).isEqualTo(new NextHop("smtp.example.com", 25, false));
        assertThat(NextHop.parse("[smtp.example.com]:587")).isEqualTo(new NextHop("smtp.example.com", 587, false));
    }

    @Test
    void addressLiterals() {
        NextHop v4 = NextHop.parse("[192.0.2.10]:2525");
        assertThat(v4.host()).isEqualTo("192.0.2.10");
        assertThat(v4.mxLookup()).isFalse();
        assertThat(v4.address()).isPresent();
        NextHop v6 = NextHop.parse("[2001:db8::1]");
        assertThat(v6.address()).isPresent();
        assertThat(v6.port()).isEqualTo(25);
        assertThat(NextHop.parse("[IPv6:2001:db8::1]:26").address()).isEqualTo(v6.address());
    }

    @Test
    void forDomainAcceptsRfc5321AddressLiterals() {
        assertThat(NextHop.forDomain("[192.0.2.1]")).isEqualTo(new NextHop("192.0.2.1", 25, false));
        assertThat(NextHop.forDomain("[IPv6:2001:db8::2]").address()).isPresent();
        assertThat(NextHop.forDomain("Example.org")).isEqualTo(new NextHop("example.org", 25, true));
    }

    @Test
    void printsBackInRelayhostSyntax() {
        assertThat(NextHop.parse("example.com")).hasToString("example.com");
        assertThat(NextHop.parse("[smtp.example.com]:587")).hasToString("[smtp.example.com]:587");
        assertThat(NextHop.parse("[192.0.2.1]")).hasToString("[192.0.2.1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[example.com", "example.com:", "example.com:0", "example.com:65536",
            "example.com:x", "2001:db8::1", "192.0.2.1", "exa mple.com", "example.com\r\nRCPT", "a..b",
            "[example.com]x", "[999.1.1.1]", "user@example.com"})
    void rejectsWhatIsNotANextHop(String spec) {
        assertThatThrownBy(() -> NextHop.parse(spec)).isInstanceOf(IllegalArgumentException.class);
    }
}
