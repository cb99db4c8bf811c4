package io.postbus.router.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** transport(5) "RESULT FORMAT" and error(8)'s reason syntax. */
class TransportEntryTest {

    @Test
    void splitsAtTheFirstColonSoBracketedNextHopsKeepTheirPort() {
        TransportEntry e = TransportEntry.parse("smtp:[10.0.0.1]:2525");
        assertThat(e.transport()).isEqualTo("smtp");
        assertThat(e.nexthop()).isEqualTo("[10.0.0.1]:2525");
        assertThat(e.name()).contains(TransportName.SMTP);
        assertThat(e.problem()).isEmpty();

        TransportEntry v6 = TransportEntry.parse("relay:[ipv6:2001:db8::1]:25");
        assertThat(v6.nexthop()).isEqualTo("[ipv6:2001:db8::1]:25");
        assertThat(v6.problem()).isEmpty();
    }

    @Test
    void nullFieldsMeanUnchangedAsTransport5Says() {
        // transport(5): "A null transport and null nexthop field means 'do not change'".
        assertThat(TransportEntry.parse(":")).isEqualTo(new TransportEntry("", ""));
        assertThat(TransportEntry.parse(":[gateway.example.com]")).isEqualTo(new TransportEntry("", "[gateway.example.com]"));
        assertThat(TransportEntry.parse("slow:")).isEqualTo(new TransportEntry("slow", ""));
        assertThat(TransportEntry.parse("smtp")).isEqualTo(new TransportEntry("smtp", ""));
    }

    @Test
    void lmtpInetPrefixIsTheDefaultAndDropped() {
        // lmtp(8): "inet:host:port" and "host:port" are the same destination.
        assertThat(TransportEntry.parse("lmtp:inet:[127.0.0.1]:24").nexthop()).isEqualTo("[127.0.0.1]:24");
        assertThat(TransportEntry.parse("lmtp:unix:private/dovecot-lmtp").problem()).get().asString()
                .contains("UNIX-domain sockets are not supported");
    }

    @Test
    void transportsWithoutADeliveryHereAreRefusedByName() {
        assertThat(TransportEntry.parse("uucp:example").problem()).get().asString().contains("unknown mail transport 'uucp'");
        assertThat(TransportEntry.parse("SMTP:x").problem()).as("master.cf service names are case-sensitive").isPresent();
    }

    @Test
    void nextHopsAreOneHostWithAnOptionalNumericPort() {
        assertThat(TransportEntry.parse("smtp:bar.example:2025").problem()).isEmpty();
        assertThat(TransportEntry.parse("smtp:bar.example").problem()).isEmpty();
        assertThat(TransportEntry.parse("smtp:10.0.0.1:25").problem()).get().asString().contains("is not one host name");
        assertThat(TransportEntry.parse("smtp:a.example, b.example").problem()).isPresent();
        assertThat(TransportEntry.parse("smtp:[a.example]:0").problem()).get().asString().contains("port");
        assertThat(TransportEntry.parse("smtp:[a.example]:smtp").problem()).get().asString().contains("port must be a number");
        assertThat(TransportEntry.parse("smtp:[a.example]x").problem()).get().asString().contains("expected :port");
    }

    @Test
    void errorTakesAPermanentStatusAndRetryATransientOne() {
        // error(8): the reason "may be prefixed with an RFC 3463-compatible detail code".
        assertThat(TransportEntry.parse("error:5.1.1 mailbox gone").problem()).isEmpty();
        assertThat(TransportEntry.parse("error:mail for *.example.com is not deliverable").problem()).isEmpty();
        assertThat(TransportEntry.parse("error:4.1.1 later").problem()).get().asString().contains("use retry:");
        assertThat(TransportEntry.parse("retry:4.3.2 maintenance").problem()).isEmpty();
        assertThat(TransportEntry.parse("retry:5.0.0 no").problem()).get().asString().contains("use error:");
        assertThat(TransportEntry.parse("discard:silently").problem()).isEmpty();
    }
}
