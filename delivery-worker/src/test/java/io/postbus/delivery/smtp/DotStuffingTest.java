package io.postbus.delivery.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5321 §4.5.2 transparency, byte by byte, without sockets. */
class DotStuffingTest {

    @Test
    void dotAtStartOfMessageIsDoubled() {
        assertStuffed(".hidden\r\n", "..hidden\r\n.\r\n");
    }

    @Test
    void dotAtStartOfALineIsDoubled() {
        assertStuffed("a\r\n.b\r\n", "a\r\n..b\r\n.\r\n");
    }

    @Test
    void lineOfOneDotOrTwoDots() {
        assertStuffed("a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n");
        assertStuffed("a\r\n..\r\n", "a\r\n...\r\n.\r\n");
        assertStuffed(".", "..\r\n.\r\n");
    }

    @Test
    void dotsInsideLinesAreUntouched() {
        assertStuffed("a.b..c\r\n", "a.b..c\r\n.\r\n");
    }

    @Test
    void bareLfOrCrDoesNotStartALine() {
        // Only CRLF ends a line; the bytes after a bare LF or CR are mid-line and go out as they are.
        assertStuffed("a\n.b\r\n", "a\n.b\r\n.\r\n");
        assertStuffed("a\r.b\r\n", "a\r.b\r\n.\r\n");
        assertStuffed("a\n.\nb\r\n", "a\n.\nb\r\n.\r\n");
    }

    @Test
    void missingFinalCrlfIsAdded() {
        assertStuffed("no newline", "no newline\r\n.\r\n");
        assertStuffed("ends in bare LF\n", "ends in bare LF\n\r\n.\r\n");
        assertStuffed("ends in bare CR\r", "ends in bare CR\r\r\n.\r\n");
    }

    @Test
    void emptyMessageIsJustTheTerminator() {
        assertStuffed("", ".\r\n");
    }

    @Test
    void eightBitOctetsPassUnchanged() {
        byte[] message = new byte[256 + 2];
        for (int i = 0; i < 256; i++) {
            message[i] = (byte) i;
        }
        message[256] = '\r';
        message[257] = '\n';
        byte[] encoded = DotStuffing.encode(message);
        assertThat(Arrays.copyOf(encoded, message.length)).isEqualTo(message);
        assertThat(DotStuffing.hasEightBit(message)).isTrue();
        assertThat(DotStuffing.hasEightBit(bytes("plain ascii\r\n"))).isFalse();
    }

    @Test
    void declaredSizeCountsTheAddedCrlfButNotTheDots() {
        // RFC 1870 §3: doubled dots and the final ".CRLF" are not part of the size.
        assertThat(DotStuffing.declaredSize(bytes(".a\r\n.b\r\n"))).isEqualTo(8);
        assertThat(DotStuffing.declaredSize(bytes("abc"))).isEqualTo(5);
        assertThat(DotStuffing.declaredSize(new byte[0])).isZero();
    }

    @Test
    void writesUnchangedRunsInFewWrites() throws Exception {
        CountingStream out = new CountingStream();
        DotStuffing.write(bytes("x".repeat(10_000) + "\r\n.y\r\n" + "z".repeat(10_000) + "\r\n"), out);
        assertThat(out.writes).isLessThanOrEqualTo(4); // run, extra dot, run, terminator
    }

    /**
     * Property: for any message, the wire bytes end at the first CRLF.CRLF only after all the
     * data, and a receiver that un-stuffs (RFC 5321 §4.5.2) gets the message back.
     */
    @Test
    void receiverRecoversAnyMessage() {
        SplittableRandom random = new SplittableRandom(5321);
        byte[] alphabet = {'.', '.', '\r', '\n', '\r', '\n', 'a', (byte) 0xe9, 0};
        for (int n = 0; n < 20_000; n++) {
            byte[] message = new byte[random.nextInt(40)];
            for (int i = 0; i < message.length; i++) {
                message[i] = alphabet[random.nextInt(alphabet.length)];
            }
            byte[] wire = DotStuffing.encode(message);
            byte[] expected = message;
            if (message.length > 0 && !(message.length >= 2 && message[message.length - 2] == '\r'
                    && message[message.length - 1] == '\n')) {
                expected = Arrays.copyOf(message, message.length + 2);
                expected[message.length] = '\r';
                expected[message.length + 1] = '\n';
            }
            assertThat(unstuff(wire)).as("message %s", Arrays.toString(message)).isEqualTo(expected);
        }
    }

    /** A strict receiver: lines end at CRLF only, "." alone ends the data, a leading dot is dropped. */
    private static byte[] unstuff(byte[] wire) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lineStart = 0;
        for (int i = 0; i + 1 < wire.length; i++) {
            if (wire[i] == '\r' && wire[i + 1] == '\n') {
                int length = i - lineStart;
                if (length == 1 && wire[lineStart] == '.') {
                    assertThat(i + 2).as("terminator is the last thing sent").isEqualTo(wire.length);
                    return out.toByteArray();
                }
                int from = wire[lineStart] == '.' ? lineStart + 1 : lineStart;
                out.write(wire, from, i - from);
                out.write('\r');
                out.write('\n');
                lineStart = i + 2;
                i++;
            }
        }
        throw new AssertionError("no terminator in " + Arrays.toString(wire));
    }

    private static void assertStuffed(String message, String wire) {
        assertThat(new String(DotStuffing.encode(bytes(message)), StandardCharsets.ISO_8859_1))
                .isEqualTo(wire);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final class CountingStream extends ByteArrayOutputStream {
        int writes;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            writes++;
            super.write(b);
        }
    }
}
