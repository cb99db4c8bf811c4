package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a message contains, what the client sends is what we store. For DATA the
 * client dot-stuffs CRLF lines (RFC 5321 §4.5.2) and we un-stuff; for BDAT the octets are taken
 * as they are, however they are cut into chunks (RFC 3030 §2).
 */
class MessageTransparencyPropertyTest {
    private static final byte[] ALPHABET = ".\r\nab \t\u00ff\u0080x.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private final Random random = new Random(20261121);

    /** A random message of CRLF-terminated lines with no bare CR or LF (what DATA can carry). */
    private byte[] randomLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = random.nextInt(8);
        for (int l = 0; l < lines; l++) {
            int len = random.nextInt(6);
            for (int i = 0; i < len; i++) {
                byte b = ALPHABET[random.nextInt(ALPHABET.length)];
                if (b != '\r' && b != '\n') {
                    out.write(b);
                }
            }
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static List<byte[]> dotStuffedLines(byte[] message) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n') {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                if (i > start && message[start] == '.') {
                    line.write('.');
                }
                line.write(message, start, i - start);
                lines.add(line.toByteArray());
                start = i + 2;
                i++;
            }
        }
        return lines;
    }

    @Test
    void dataUnstuffingRestoresEveryMessage() {
        byte[] prefix = "Received: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int run = 0; run < 20_000; run++) {
            byte[] message = randomLines();
            DataCollector c = new DataCollector(prefix, 1 << 20);
            for (byte[] line : dotStuffedLines(message)) {
                assertThat(c.line(line)).isEqualTo(DataCollector.LineResult.MORE);
            }
            assertThat(c.line(new byte[] {'.'})).isEqualTo(DataCollector.LineResult.END);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(prefix);
            expected.writeBytes(message);
            assertThat(c.message()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void bdatKeepsArbitraryOctetsHoweverTheyAreChunked() {
        for (int run = 0; run < 20_000; run++) {
            byte[] message = new byte[random.nextInt(40)];
            for (int i = 0; i < message.length; i++) {
                message[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            ChunkCollector c = new ChunkCollector(new byte[0], 1 << 20);
            int pos = 0;
            while (pos < message.length) {
                int n = 1 + random.nextInt(message.length - pos);
                c.add(java.util.Arrays.copyOfRange(message, pos, pos + n));
                pos += n;
            }
            assertThat(c.message()).isEqualTo(message);
        }
    }
}
