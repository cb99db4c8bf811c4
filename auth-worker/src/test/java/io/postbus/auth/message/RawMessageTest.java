package io.postbus.auth.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 5322 §2.1 and §2.2: fields, folding and the empty line before the body. */
class RawMessageTest {

    @Test
    void splitsFoldedFieldsAndBody() {
        RawMessage m = parse("From: a@example.com\r\nSubject: one\r\n two\r\n\r\nbody\r\n");
        assertThat(m.headers()).extracting(HeaderField::name).containsExactly("From", "Subject");
        assertThat(m.headers("subject").get(0).unfoldedValue()).isEqualTo(" one two");
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("body\r\n");
    }

    @Test
    void headerOnlyMessageHasAnEmptyBody() {
        RawMessage m = parse("From: a@example.com\r\nSubject: x\r\n");
        assertThat(m.headers()).hasSize(2);
        assertThat(m.bodyLength()).isZero();
    }

    @Test
    void aLineThatIsNotAFieldEndsTheHeader() {
        RawMessage m = parse("From: a\r\nthis is not a header\r\nSubject: x\r\n");
        assertThat(m.headers()).hasSize(1);
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).startsWith("this is not");
    }

    @Test
    void fieldsAndBodyAlwaysAddUpToTheWholeMessage() {
        Random r = new Random(7);
        String alphabet = "ab: \t\r\n\r\nX-";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = r.nextInt(40); j > 0; j--) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            RawMessage m = RawMessage.parse(bytes);
            int fields = m.headers().stream().mapToInt(HeaderField::length).sum();
            assertThat(fields).isLessThanOrEqualTo(m.bodyStart());
            assertThat(m.bodyStart()).isLessThanOrEqualTo(bytes.length);
        }
    }

    private static RawMessage parse(String s) {
        return RawMessage.parse(s.getBytes(StandardCharsets.UTF_8));
    }
}
