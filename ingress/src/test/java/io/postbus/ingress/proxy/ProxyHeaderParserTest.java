package io.postbus.ingress.proxy;

import static io.postbus.ingress.proxy.ProxyBytes.LOCAL;
import static io.postbus.ingress.proxy.ProxyBytes.PROXY;
import static io.postbus.ingress.proxy.ProxyBytes.ascii;
import static io.postbus.ingress.proxy.ProxyBytes.bytes;
import static io.postbus.ingress.proxy.ProxyBytes.concat;
import static io.postbus.ingress.proxy.ProxyBytes.inet4;
import static io.postbus.ingress.proxy.ProxyBytes.tlv;
import static io.postbus.ingress.proxy.ProxyBytes.v2;
import static io.postbus.ingress.proxy.ProxyBytes.v2WithCrc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.proxy.ProxyParseResult.Invalid;
import io.postbus.ingress.proxy.ProxyParseResult.NeedMore;
import io.postbus.ingress.proxy.ProxyParseResult.Parsed;
import io.postbus.ingress.proxy.ProxyParseResult.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection (spec §2.2, "identifying the protocol version"), partial input (§2) and the buffer APIs. */
class ProxyHeaderParserTest {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    static List<byte[]> validHeaders() {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        return List.of(
                ascii("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n"),
                ascii("PROXY TCP6 " + full + " " + full + " 65535 65535\r\n"),
                ascii("PROXY TCP6 2001:db8::1 ::ffff:10.0.0.1 1 25\r\n"),
                ascii("PROXY UNKNOWN\r\n"),
                ascii("PROXY UNKNOWN " + full + " " + full + " 65535 65535\r\n"),
                v2(PROXY, 0x11, inet4(new int[] {192, 0, 2, 1}, new int[] {192, 0, 2, 2}, 54321, 25)),
                v2(PROXY, 0x21, new byte[36], tlv(0x02, ascii("mx.example")), tlv(0x04, new byte[7])),
                v2(LOCAL, 0x00),
                v2(PROXY, 0x00, new byte[3]),
                v2(PROXY, 0x31, new byte[216]),
                v2WithCrc(PROXY, 0x11, new byte[12], tlv(0x05, ascii("id-1")),
                        tlv(0x20, concat(bytes(1, 0, 0, 0, 0), tlv(0x21, ascii("TLSv1.2"))))));
    }

    @Test
    void everySplitPointNeedsMoreUntilTheHeaderIsComplete() {
        // §2: "nothing forces any intermediary to forward the whole header at once".
        byte[] smtp = ascii("EHLO client.example\r\n");
        for (byte[] header : validHeaders()) {
            byte[] stream = concat(header, smtp);
            for (int n = 0; n < header.length; n++) {
                ProxyParseResult r = parser.parse(stream, n);
                assertThat(r).as("prefix %d of %d", n, header.length).isInstanceOf(NeedMore.class);
                assertThat(((NeedMore) r).atLeast()).isGreaterThan(n).isLessThanOrEqualTo(header.length);
            }
            for (int n = header.length; n <= stream.length; n++) {
                ProxyParseResult r = parser.parse(stream, n);
                assertThat(r).as("prefix %d of %d", n, header.length).isInstanceOf(Parsed.class);
                assertThat(((Parsed) r).consumed()).as("bytes after the header are not consumed").isEqualTo(header.length);
                assertThat(r).isEqualTo(parser.parse(header, header.length));
            }
        }
    }

    @Test
    void atLeastIsHonest() {
        // Reading until atLeast and asking again never skips a decision point.
        for (byte[] header : validHeaders()) {
            int n = 0;
            int steps = 0;
            ProxyParseResult r;
            while ((r = parser.parse(header, n)) instanceof NeedMore m) {
                n = m.atLeast();
                steps++;
            }
            assertThat(r).isInstanceOf(Parsed.class);
            assertThat(n).isEqualTo(header.length);
            assertThat(steps).isPositive();
        }
    }

    @Test
    void garbageIsRefusedAtTheFirstByte() {
        for (String s : List.of("EHLO client.example\r\n", "GET / HTTP/1.1\r\n", "\u0016\u0003\u0001", "\0", " PROXY ")) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            ProxyParseResult r = parser.parse(b, b.length);
            assertThat(r).as(s).isInstanceOf(Invalid.class);
            assertThat(((Invalid) r).reason()).isEqualTo(Reason.BAD_SIGNATURE);
        }
        // A bare CRLF could still be the v2 signature; the third byte settles it.
        assertThat(parser.parse(ascii("\r\n"), 2)).isEqualTo(new NeedMore(16));
        assertThat(parser.parse(ascii("\r\nQUIT\r\n"), 8)).isInstanceOf(Invalid.class);
        assertThat(parser.parse(new byte[0], 0)).isEqualTo(new NeedMore(1));
    }

    @Test
    void offsetsAndByteBuffers() {
        byte[] header = validHeaders().get(5);
        byte[] padded = concat(ascii("xyz"), header, ascii("EHLO"));
        ProxyParseResult expected = parser.parse(header, header.length);
        assertThat(parser.parse(padded, 3, padded.length - 3)).isEqualTo(expected);

        ByteBuffer heap = ByteBuffer.wrap(padded);
        heap.position(3);
        assertThat(parser.parse(heap)).isEqualTo(expected);
        assertThat(heap.position()).as("position untouched").isEqualTo(3);

        ByteBuffer sliced = ByteBuffer.wrap(padded, 3, padded.length - 3).slice();
        assertThat(parser.parse(sliced)).isEqualTo(expected);

        ByteBuffer direct = ByteBuffer.allocateDirect(padded.length);
        direct.put(padded).flip().position(3);
        assertThat(parser.parse(direct)).isEqualTo(expected);
        assertThat(direct.position()).isEqualTo(3);
        direct.limit(10);
        assertThat(parser.parse(direct)).isInstanceOf(NeedMore.class);

        assertThatThrownBy(() -> parser.parse(header, header.length + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ProxyHeaderParser(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void looksLikeProxyHeaderIsCheapDetection() {
        // §2.2: v2 by its 12-byte signature; v1 by "PROXY" (we also want the space).
        for (byte[] header : validHeaders()) {
            assertThat(ProxyHeaderParser.looksLikeProxyHeader(header)).isTrue();
        }
        assertThat(ProxyHeaderParser.looksLikeProxyHeader(ascii("PROXY "))).isTrue();
        assertThat(ProxyHeaderParser.looksLikeProxyHeader(ascii("PROXY"))).as("too few bytes yet").isFalse();
        assertThat(ProxyHeaderParser.looksLikeProxyHeader(ascii("EHLO x\r\n"))).isFalse();
        assertThat(ProxyHeaderParser.looksLikeProxyHeader(ascii("\r\n\r\n"))).isFalse();
        byte[] sig = v2(PROXY, 0x11, new byte[12]);
        assertThat(ProxyHeaderParser.looksLikeProxyHeader(sig, 12)).isTrue();
        assertThat(ProxyHeaderParser.looksLikeProxyHeader(sig, 11)).isFalse();
    }

    @Test
    void maxHeaderLengthBoundsTheBuffer() {
        assertThat(parser.maxHeaderLength()).isEqualTo(16 + 4096);
        assertThat(new ProxyHeaderParser(0).maxHeaderLength()).isEqualTo(107);
    }
}
