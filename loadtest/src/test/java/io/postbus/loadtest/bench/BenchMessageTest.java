package io.postbus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchMessageTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 77, 78, 79, 80, 81, 82, 5120, 100_000, 2_000_000})
    void textBodyHasTheExactSizeAndValidLines(int size) {
        assertValidBody(BenchMessage.textBody(size), size);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 77, 78, 79, 80, 5120, 100_000, 2_000_000})
    void randomBodiesHaveTheExactSizeAndValidLinesAndDiffer(int size) {
        BenchMessage message = new BenchMessage("a@example.net", "b@example.com", size, BodyContent.RANDOM);
        SplittableRandom random = new SplittableRandom(1);
        byte[] first = message.body(new byte[size], random).clone();
        byte[] second = message.body(new byte[size], random);

        assertValidBody(first, size);
        assertValidBody(second, size);
        if (size > 100) {
            assertThat(second).isNotEqualTo(first);
        }
    }

    /** Exactly the size asked for, CRLF lines within RFC 5321 §4.5.3.1.6, and no line to dot-stuff. */
    private static void assertValidBody(byte[] body, int size) {
        String text = new String(body, StandardCharsets.US_ASCII);
        assertThat(body).hasSize(size);
        if (size > 0) {
            assertThat(text).endsWith("\r\n");
            for (String line : text.substring(0, size - 2).split("\r\n", -1)) {
                assertThat(line).doesNotContain("\r", "\n").doesNotStartWith(".");
                assertThat(line.length()).isLessThanOrEqualTo(998);
            }
        }
    }
}
