package io.postbus.ingress.proxy;

import static io.postbus.ingress.proxy.ProxyBytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.proxy.ProxyHeader.Command;
import io.postbus.ingress.proxy.ProxyHeader.Family;
import io.postbus.ingress.proxy.ProxyParseResult.Invalid;
import io.postbus.ingress.proxy.ProxyParseResult.NeedMore;
import io.postbus.ingress.proxy.ProxyParseResult.Parsed;
import io.postbus.ingress.proxy.ProxyParseResult.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The human-readable header, spec §2.1 ("proxy-protocol.txt", HAProxy). */
class ProxyHeaderV1Test {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private ProxyParseResult parse(String s) {
        byte[] b = ascii(s);
        return parser.parse(b, b.length);
    }

    private ProxyHeader parsed(String s) {
        ProxyParseResult r = parse(s);
        assertThat(r).as(s).isInstanceOf(Parsed.class);
        return ((Parsed) r).header();
    }

    private static InetSocketAddress at(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port); // literals only: no lookup
    }

    @Test
    void specTcp4MaximumLine() throws UnknownHostException {
        // §2.1: the longest TCP/IPv4 line, 56 chars.
        String line = "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n";
        ProxyParseResult r = parse(line);
        assertThat(r).isEqualTo(new Parsed(new ProxyHeader(1, Command.PROXY, Family.TCP4,
                at("255.255.255.255", 65535), at("255.255.255.255", 65535), List.of()), 56));
    }

    @Test
    void specExampleBeforeHttpRequestConsumesOnlyTheLine() throws UnknownHostException {
        // §2.1: "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n" followed by the proxied protocol.
        String header = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";
        ProxyParseResult r = parse(header + "EHLO client.example\r\n");
        assertThat(r).isInstanceOf(Parsed.class);
        Parsed p = (Parsed) r;
        assertThat(p.consumed()).isEqualTo(header.length());
        assertThat(p.header().source()).isEqualTo(at("192.168.0.1", 56324));
        assertThat(p.header().destination()).isEqualTo(at("192.168.0.11", 443));
        assertThat(p.header().version()).isEqualTo(1);
        assertThat(p.header().tlvs()).isEmpty();
    }

    @Test
    void specTcp6MaximumLine() throws UnknownHostException {
        // §2.1: the longest TCP/IPv6 line, 104 chars.
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String line = "PROXY TCP6 " + full + " " + full + " 65535 65535\r\n";
        assertThat(line).hasSize(104);
        ProxyHeader h = parsed(line);
        assertThat(h.family()).isEqualTo(Family.TCP6);
        assertThat(h.source()).isEqualTo(at(full, 65535));
    }

    @Test
    void tcp6CompressedAndMixedForms() throws UnknownHostException {
        ProxyHeader h = parsed("PROXY TCP6 2001:DB8::1 ::1 0 25\r\n");
        assertThat(h.source()).isEqualTo(at("2001:db8::1", 0));
        assertThat(h.destination()).isEqualTo(at("::1", 25));
        // inet_ntop prints a mapped address with a dotted tail; it comes out as plain IPv4.
        ProxyHeader mapped = parsed("PROXY TCP6 ::ffff:192.0.2.7 :: 1025 25\r\n");
        assertThat(mapped.source()).isEqualTo(at("192.0.2.7", 1025));
        assertThat(mapped.source().getAddress().getAddress()).hasSize(4);
    }

    @Test
    void specUnknownShortAndWorstCase() {
        // §2.1: "PROXY UNKNOWN\r\n" (15 chars) and the 107-char worst case, whose rest is ignored.
        ProxyParseResult shortForm = parse("PROXY UNKNOWN\r\n");
        assertThat(shortForm).isEqualTo(new Parsed(new ProxyHeader(1, Command.PROXY, Family.UNKNOWN, null, null, List.of()), 15));
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String worst = "PROXY UNKNOWN " + full + " " + full + " 65535 65535\r\n";
        assertThat(worst).hasSize(107);
        assertThat(((Parsed) parse(worst)).consumed()).isEqualTo(107);
        ProxyHeader h = parsed("PROXY UNKNOWN anything at all, ignored\r\n");
        assertThat(h.hasClientAddress()).isFalse();
        assertThat(h.clientOr(InetSocketAddress.createUnresolved("real", 1))).isEqualTo(InetSocketAddress.createUnresolved("real", 1));
    }

    @Test
    void noCrlfWithin107BytesIsInvalid() {
        // §2.1: "If the CRLF sequence is not found in the first 107 characters ... invalid."
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String tooLong = "PROXY UNKNOWN " + full + " " + full + " 65535 655355\r\n"; // 108
        assertThat(reason(tooLong)).isEqualTo(Reason.LINE_TOO_LONG);
        assertThat(reason("PROXY " + "x".repeat(101))).isEqualTo(Reason.LINE_TOO_LONG);
        assertThat(parse("PROXY " + "x".repeat(100))).isEqualTo(new NeedMore(107));
        // The CR as the 107th byte leaves no room for the LF.
        assertThat(reason("PROXY UNKNOWN" + "x".repeat(93) + "\r")).isEqualTo(Reason.LINE_TOO_LONG);
    }

    @Test
    void lineMustEndInCrlf() {
        // §2.1: "The receiver must not tolerate a single CR or LF character to end the line."
        assertThat(reason("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n")).isEqualTo(Reason.BAD_LINE);
        assertThat(reason("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rEHLO x\r\n")).isEqualTo(Reason.BAD_LINE);
        assertThat(parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r")).isEqualTo(new NeedMore(32));
        assertThat(reason("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\0\r\n")).isEqualTo(Reason.BAD_LINE);
        assertThat(reason("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\u007f\r\n")).isEqualTo(Reason.BAD_LINE);
        assertThat(reason("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n")).as("trailing space").isEqualTo(Reason.BAD_LINE);
        assertThat(reason("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\tx\r\n")).isEqualTo(Reason.BAD_LINE);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // §2.1: exactly one space between fields
        "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2        | BAD_FAMILY",
        "PROXY TCP4  1.2.3.4 5.6.7.8 1 2        | BAD_LINE",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1           | BAD_LINE",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3       | BAD_LINE",
        "PROXY                                  | BAD_SIGNATURE",
        // protocol tokens are case-sensitive; only TCP4, TCP6 and UNKNOWN exist in v1
        "PROXY tcp4 1.2.3.4 5.6.7.8 1 2         | BAD_FAMILY",
        "PROXY UDP4 1.2.3.4 5.6.7.8 1 2         | BAD_FAMILY",
        "PROXY UNKNOWNX                         | BAD_FAMILY",
        // §2.1: IPv4 as exactly 4 decimal integers 0..255, no heading zeroes
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2        | BAD_ADDRESS",
        "PROXY TCP4 256.2.3.4 5.6.7.8 1 2       | BAD_ADDRESS",
        "PROXY TCP4 1.2.3 5.6.7.8 1 2           | BAD_ADDRESS",
        "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2       | BAD_ADDRESS",
        "PROXY TCP4 1.2.3.4 5.6.7.8. 1 2        | BAD_ADDRESS",
        "PROXY TCP4 0x1.2.3.4 5.6.7.8 1 2       | BAD_ADDRESS",
        "PROXY TCP4 localhost 5.6.7.8 1 2       | BAD_ADDRESS",
        "PROXY TCP4 mx.example.com 5.6.7.8 1 2  | BAD_ADDRESS",
        // the announced family dictates the format (§2.1)
        "PROXY TCP4 ::1 5.6.7.8 1 2             | BAD_ADDRESS",
        "PROXY TCP6 1.2.3.4 ::1 1 2             | BAD_ADDRESS",
        "PROXY TCP6 1::2::3 ::1 1 2             | BAD_ADDRESS",
        "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2   | BAD_ADDRESS",
        "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2       | BAD_ADDRESS",
        "PROXY TCP6 12345:: ::1 1 2             | BAD_ADDRESS",
        "PROXY TCP6 fe80::1%eth0 ::1 1 2        | BAD_ADDRESS",
        "PROXY TCP6 [::1] ::1 1 2               | BAD_ADDRESS",
        "PROXY TCP6 :1:2:3:4:5:6:7 ::1 1 2      | BAD_ADDRESS",
        "PROXY TCP6 g::1 ::1 1 2                | BAD_ADDRESS",
        // §2.1: ports 0..65535, no heading zeroes
        "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2     | BAD_PORT",
        "PROXY TCP4 1.2.3.4 5.6.7.8 025 2       | BAD_PORT",
        "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2        | BAD_PORT",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 99999999  | BAD_PORT",
        "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2        | BAD_PORT",
    })
    void malformedLinesAreInvalid(String line, Reason expected) {
        assertThat(reason(line + "\r\n")).isEqualTo(expected);
    }

    @Test
    void portZeroAndAddressZeroAreLegal() throws UnknownHostException {
        ProxyHeader h = parsed("PROXY TCP4 0.0.0.0 10.0.0.1 0 25\r\n");
        assertThat(h.source()).isEqualTo(at("0.0.0.0", 0));
    }

    @Test
    void wrongPrefixIsRefusedAtTheFirstWrongByte() {
        assertThat(reason("PROXZ")).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reason("proxy TCP4")).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reason("PROXYTCP4")).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(parse("PROX")).isEqualTo(new NeedMore(5));
    }

    private Reason reason(String s) {
        ProxyParseResult r = parse(s);
        assertThat(r).as("%s", s).isInstanceOf(Invalid.class);
        return ((Invalid) r).reason();
    }
}
