package io.postbus.ingress.dnsbl;

import static io.postbus.ingress.dnsbl.TestZones.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Postfix's IPv4 address patterns, as used for DNSBL reply filters. */
class ReplyFilterTest {

    @Test
    void singleValueMatchesOnlyItself() {
        ReplyFilter f = ReplyFilter.parse("127.0.0.4");

        assertThat(f.matches(ip("127.0.0.4"))).isTrue();
        assertThat(f.matches(ip("127.0.0.5"))).isFalse();
        assertThat(f.matches(ip("127.0.1.4"))).isFalse();
    }

    @Test
    void rangeIncludesBothEnds() {
        ReplyFilter f = ReplyFilter.parse("127.0.0.[2..11]");

        assertThat(f.matches(ip("127.0.0.1"))).isFalse();
        assertThat(f.matches(ip("127.0.0.2"))).isTrue();
        assertThat(f.matches(ip("127.0.0.11"))).isTrue();
        assertThat(f.matches(ip("127.0.0.12"))).isFalse();
    }

    @Test
    void listMixesValuesAndRanges() {
        ReplyFilter f = ReplyFilter.parse("127.0.0.[1;3..5;10]");

        assertThat(f.matches(ip("127.0.0.1"))).isTrue();
        assertThat(f.matches(ip("127.0.0.2"))).isFalse();
        assertThat(f.matches(ip("127.0.0.4"))).isTrue();
        assertThat(f.matches(ip("127.0.0.10"))).isTrue();
        assertThat(f.matches(ip("127.0.0.11"))).isFalse();
    }

    @Test
    void everyFieldMayBeASequence() {
        ReplyFilter f = ReplyFilter.parse("127.0.[0..255].[0..255]");

        assertThat(f.matches(ip("127.0.10.2"))).isTrue();
        assertThat(f.matches(ip("127.0.255.255"))).isTrue();
        assertThat(f.matches(ip("127.1.0.0"))).isFalse();
        assertThat(f.matches(ip("126.0.0.1"))).isFalse();
    }

    @Test
    void ipv6AnswerNeverMatches() {
        assertThat(ReplyFilter.parse("0.0.0.[0..255]").matches(ip("::1"))).isFalse();
    }

    @Test
    void printsInPostfixSyntax() {
        assertThat(ReplyFilter.parse("127.0.0.[2..11]")).hasToString("127.0.0.[2..11]");
        assertThat(ReplyFilter.parse("127.0.0.[10;11]")).hasToString("127.0.0.[10;11]");
        assertThat(ReplyFilter.parse("127.0.0.[5]")).hasToString("127.0.0.5");
        assertThat(ReplyFilter.parse("127.000.0.02")).hasToString("127.0.0.2");
    }

    @Test
    void oldCommaSyntaxGetsAHint() {
        assertThatThrownBy(() -> ReplyFilter.parse("127.0.0.[2,4,6..8]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("with ';'");
    }
}
