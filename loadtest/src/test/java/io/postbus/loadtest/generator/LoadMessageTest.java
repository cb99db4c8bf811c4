package io.postbus.loadtest.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated newsletter and the id the runner reads back from it. */
class LoadMessageTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 79, 80, 81, 5120, 10_000})
    void bodyHasTheExactSizeEndsWithCrlfAndNeedsNoDotStuffing(int size) {
        byte[] body = LoadMessage.body(size);
        assertThat(body).hasSize(size);
        assertThat(body[size - 2]).isEqualTo((byte) '\r');
        assertThat(body[size - 1]).isEqualTo((byte) '\n');
        String text = new String(body, StandardCharsets.US_ASCII);
        // RFC 5321 §4.5.3.1.6: lines of at most 1000 octets with CRLF; §4.5.2: no line starting with a dot
        for (String line : text.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
            assertThat(line).doesNotStartWith(".");
        }
        assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
    }

    @Test
    void idIsReadFromTheTopLevelHeaderOnly() {
        byte[] headers = LoadMessage.headers(4711, "newsletter@news.loadtest.test", List.of("u1@d1.loadtest.test"), ZonedDateTime.now());
        byte[] message = concat(concat("Received: from x\r\nDKIM-Signature: v=1\r\n".getBytes(StandardCharsets.US_ASCII), headers),
                LoadMessage.body(100));
        assertThat(LoadMessage.id(message)).hasValue(4711);

        // A bounce quotes the original's headers in its body: not an arrival of the original.
        String bounce = "From: MAILER-DAEMON\r\nSubject: Undelivered\r\n\r\n--b\r\nX-Loadtest-Id: 4711\r\n";
        assertThat(LoadMessage.id(bounce.getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(LoadMessage.id("x-loadtest-id:  12 \r\n\r\n".getBytes(StandardCharsets.US_ASCII))).hasValue(12);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
