package io.postbus.auth.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RawMessage splitting (RFC 5322 §2.1), including the inputs the DKIM fuzz test found. */
class RawMessageBareCrTest {

    @Test
    void aLineWithABareCrBeforeItsColonIsNotAFieldAndStartsTheBody() {
        // Found by VerifierFuzzTest: parse used to accept "Sub\rject: x" as a field that HeaderField refused.
        RawMessage m = RawMessage.parse("From: a@example.com\r\nSub\rject: x\r\nmore\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(m.headers()).extracting(HeaderField::name).containsExactly("From");
        assertThat(new String(m.body(), StandardCharsets.ISO_8859_1)).isEqualTo("Sub\rject: x\r\nmore\r\n");
    }

    @Test
    void foldedFieldsKeepTheirBytes() {
        RawMessage m = RawMessage.parse("To: a\r\n b\r\nX: y\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.headers()).hasSize(2);
        assertThat(new String(m.headers().get(0).raw(), StandardCharsets.US_ASCII)).isEqualTo("To: a\r\n b\r\n");
        assertThat(m.body()).isEqualTo("body".getBytes(StandardCharsets.US_ASCII));
    }
}
