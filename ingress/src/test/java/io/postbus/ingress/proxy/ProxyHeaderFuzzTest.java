package io.postbus.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.postbus.ingress.proxy.ProxyParseResult.Invalid;
import io.postbus.ingress.proxy.ProxyParseResult.NeedMore;
import io.postbus.ingress.proxy.ProxyParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: on any input the parser returns one of its three results and never throws; a result is
 * consistent with the buffer (NeedMore asks for more than it has, Parsed consumes no more than it has,
 * and more bytes never change a final answer).
 */
class ProxyHeaderFuzzTest {
    private final Random random = new Random(0x50524f5859L);
    private final ProxyHeaderParser parser = new ProxyHeaderParser(1024);

    @Test
    void randomBytesNeverThrow() {
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(300)];
            random.nextBytes(b);
            // Steer half of them past the first byte into the v1 or v2 code paths.
            if (b.length > 0 && random.nextBoolean()) {
                byte[] start = random.nextBoolean() ? ProxyBytes.SIG : "PROXY ".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(start, 0, b, 0, Math.min(start.length, b.length));
            }
            check(b);
        }
    }

    @Test
    void randomTextLinesNeverThrow() {
        String[] tokens = {"PROXY", " ", "TCP4", "TCP6", "UNKNOWN", "1.2.3.4", "::1", "::ffff:1.2.3.4", "255", ".", ":",
            "::", "65535", "0", "00", "\r", "\n", "\r\n", "ffff", "-", "a", "999999"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(random.nextInt(4) == 0 ? "" : "PROXY ");
            int n = random.nextInt(14);
            for (int k = 0; k < n; k++) {
                sb.append(tokens[random.nextInt(tokens.length)]);
            }
            check(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void mutationsOfValidHeadersNeverThrow() {
        List<byte[]> seeds = ProxyHeaderParserTest.validHeaders();
        for (int i = 0; i < 30_000; i++) {
            byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                b = mutate(b);
            }
            check(b);
        }
    }

    @Test
    void randomValidHeadersRoundTrip() throws UnknownHostException {
        for (int i = 0; i < 3_000; i++) {
            boolean v6 = random.nextBoolean();
            byte[] src = new byte[v6 ? 16 : 4];
            byte[] dst = new byte[src.length];
            random.nextBytes(src);
            random.nextBytes(dst);
            int sport = random.nextInt(65536);
            int dport = random.nextInt(65536);
            InetSocketAddress source = new InetSocketAddress(InetAddress.getByAddress(src), sport);
            InetSocketAddress destination = new InetSocketAddress(InetAddress.getByAddress(dst), dport);
            byte[] header = random.nextBoolean()
                    ? ProxyBytes.v2(ProxyBytes.PROXY, v6 ? 0x21 : 0x11, src, dst, ProxyBytes.bytes(sport >> 8, sport, dport >> 8, dport))
                    : ("PROXY " + (v6 ? "TCP6 " : "TCP4 ") + text(src) + " " + text(dst) + " " + sport + " " + dport + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
            ProxyParseResult r = parser.parse(header, header.length);
            assertThat(r).isInstanceOf(Parsed.class);
            ProxyHeader h = ((Parsed) r).header();
            assertThat(h.source()).isEqualTo(source);
            assertThat(h.destination()).isEqualTo(destination);
            assertThat(((Parsed) r).consumed()).isEqualTo(header.length);
        }
    }

    /** Dotted quad, or eight groups without leading zeros (not the JDK's formatting, which unwraps mapped addresses). */
    private static String text(byte[] a) {
        StringBuilder sb = new StringBuilder();
        if (a.length == 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(i == 0 ? "" : ".").append(a[i] & 0xff);
            }
        } else {
            for (int i = 0; i < 8; i++) {
                sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff)));
            }
        }
        return sb.toString();
    }

    private byte[] mutate(byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(6)) {
            case 0 -> b[at] = (byte) random.nextInt(256);
            case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 2 -> b = Arrays.copyOf(b, at); // truncate
            case 3 -> { // insert a byte
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            case 4 -> { // delete a byte
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                b = c;
            }
            default -> { // the v2 length field, where off-by-N bugs live
                if (b.length > 15 && b[0] == '\r') {
                    int bump = random.nextInt(7) - 3;
                    int len = (((b[14] & 0xff) << 8) | (b[15] & 0xff)) + bump;
                    b[14] = (byte) (len >> 8);
                    b[15] = (byte) len;
                } else {
                    b[at] = ' ';
                }
            }
        }
        return b;
    }

    /** Plain checks with a message only on failure: AssertJ per call would dominate the run time. */
    private void check(byte[] b) {
        ProxyParseResult whole = parser.parse(b, b.length);
        if (whole instanceof NeedMore m) {
            require(m.atLeast() > b.length && m.atLeast() <= parser.maxHeaderLength(), b, whole);
        } else if (whole instanceof Parsed p) {
            require(p.consumed() <= b.length, b, whole);
            // A final answer is decided by its own bytes: the same at every longer prefix.
            require(parser.parse(b, p.consumed()).equals(whole), b, whole);
        } else {
            require(whole instanceof Invalid, b, whole);
        }
        // A shorter prefix never reaches a different final answer.
        int cut = b.length == 0 ? 0 : random.nextInt(b.length);
        ProxyParseResult prefix = parser.parse(b, cut);
        if (prefix instanceof Parsed) {
            require(prefix.equals(whole), b, whole);
        } else if (prefix instanceof Invalid) {
            require(whole instanceof Invalid, b, whole);
        }
    }

    private static void require(boolean ok, byte[] input, ProxyParseResult result) {
        if (!ok) {
            fail("inconsistent result %s for input %s", result, HexFormat.of().formatHex(input));
        }
    }
}
