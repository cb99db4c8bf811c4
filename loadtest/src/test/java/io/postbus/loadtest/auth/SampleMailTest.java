package io.postbus.loadtest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark mail is well-formed MIME of the size asked for (RFC 5322 §2.1.1, RFC 2045 §6.7, §6.8). */
class SampleMailTest {

    @ParameterizedTest
    @ValueSource(ints = {5120, 102_400, 1_000_000})
    void bodyIsWithinOneBase64LineOfTheSizeAskedFor(int size) {
        RawMessage m = RawMessage.parse(new SampleMail("alice@example.com", "bob@example.net", size).message(7));
        assertThat(m.bodyLength()).isBetween(size - 78, size + 78);
        assertThat(m.headers("From")).hasSize(1);
        assertThat(m.headers("Content-Type").get(0).unfoldedValue()).contains("multipart/mixed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5120})
    void linesEndInCrlfAndStayWithinMimeLimits(int size) {
        String text = new String(new SampleMail("alice@example.com", "bob@example.net", size).message(3), StandardCharsets.US_ASCII);
        assertThat(text).endsWith("--\r\n").doesNotContain("\r\r").doesNotContainPattern("[^\r]\n");
        for (String line : text.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
        }
        assertThat(text).contains("caf=C3=A9", "Content-Transfer-Encoding: base64");
    }

    @ParameterizedTest
    @ValueSource(ints = {5120})
    void theSameIndexGivesTheSameBytesAndAnotherIndexOtherBytes(int size) {
        SampleMail mail = new SampleMail("alice@example.com", "bob@example.net", size);
        assertThat(mail.message(1)).isEqualTo(mail.message(1)).isNotEqualTo(mail.message(2));
        assertThat(RawMessage.parse(mail.message(1)).body()).isNotEqualTo(RawMessage.parse(mail.message(2)).body());
    }
}
