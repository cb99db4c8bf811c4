package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalizationTest {

    /** RFC 6376 §3.4.5, the worked example. */
    private static final String EXAMPLE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    @Test
    void relaxedExampleOfSection345() {
        RawMessage m = RawMessage.parse(bytes(EXAMPLE));
        assertThat(text(Canonicalization.RELAXED.header(m.headers().get(0)))).isEqualTo("a:X\r\n");
        assertThat(text(Canonicalization.RELAXED.header(m.headers().get(1)))).isEqualTo("b:Y Z\r\n");
        assertThat(text(Canonicalization.RELAXED.body(m.bytes(), m.bodyStart(), m.bytes().length))).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void simpleExampleOfSection345() {
        RawMessage m = RawMessage.parse(bytes(EXAMPLE));
        assertThat(text(Canonicalization.SIMPLE.header(m.headers().get(1)))).isEqualTo("B : Y\t\r\n\tZ  \r\n");
        assertThat(text(Canonicalization.SIMPLE.body(m.bytes(), m.bodyStart(), m.bytes().length))).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void emptyBodyIsOneCrlfForSimpleAndNothingForRelaxed() {
        byte[] none = bytes("A: x\r\n\r\n");
        RawMessage m = RawMessage.parse(none);
        assertThat(text(Canonicalization.SIMPLE.body(none, m.bodyStart(), none.length))).isEqualTo("\r\n");
        assertThat(Canonicalization.RELAXED.body(none, m.bodyStart(), none.length)).isEmpty();
        byte[] blank = bytes("A: x\r\n\r\n\r\n \t\r\n");
        RawMessage b = RawMessage.parse(blank);
        assertThat(Canonicalization.RELAXED.body(blank, b.bodyStart(), blank.length)).isEmpty();
        assertThat(text(Canonicalization.SIMPLE.body(blank, b.bodyStart(), blank.length))).isEqualTo("\r\n \t\r\n");
    }

    @Test
    void lastLineWithoutCrlfGetsOne() {
        byte[] m = bytes("A: x\r\n\r\nend");
        RawMessage r = RawMessage.parse(m);
        assertThat(text(Canonicalization.SIMPLE.body(m, r.bodyStart(), m.length))).isEqualTo("end\r\n");
        assertThat(text(Canonicalization.RELAXED.body(m, r.bodyStart(), m.length))).isEqualTo("end\r\n");
    }

    /**
     * §3.4.4 over a body larger than the writer's buffer, with a line longer than it: the canonical
     * bytes come out whole and in order however they are cut into pieces for the sink.
     */
    @Test
    void relaxedBodyLargerThanTheBufferKeepsEveryByteInOrder() {
        String word = "w".repeat(10_000);
        String body = "a  b\t c   \r\n".repeat(2_000) + word + " \t" + word + "\r\n\r\n\r\n" + "x \r\n".repeat(3);
        byte[] m = bytes("A: x\r\n\r\n" + body);
        RawMessage r = RawMessage.parse(m);
        String expected = "a b c\r\n".repeat(2_000) + word + " " + word + "\r\n\r\n\r\n" + "x\r\n".repeat(3);
        assertThat(text(Canonicalization.RELAXED.body(m, r.bodyStart(), m.length))).isEqualTo(expected);
        assertThat(text(Canonicalization.SIMPLE.body(m, r.bodyStart(), m.length))).isEqualTo(body);
    }

    @Test
    void eightBitHeaderBytesSurviveRelaxed() {
        HeaderField f = new HeaderField("Subject:  Grüße \r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(Canonicalization.RELAXED.header(f), StandardCharsets.UTF_8)).isEqualTo("subject:Grüße\r\n");
    }

    @Test
    void emptyingBLeavesBhAndEverythingElse() {
        HeaderField f = new HeaderField(bytes("DKIM-Signature: v=1; bh=abc; b=dead\r\n beef ; d=x\r\n"));
        assertThat(SignedHeaders.withEmptySignature(f).toString()).isEqualTo("DKIM-Signature: v=1; bh=abc; b=; d=x");
        HeaderField last = new HeaderField(bytes("DKIM-Signature: v=1; b=dead\r\n beef\r\n"));
        assertThat(text(SignedHeaders.withEmptySignature(last).raw())).isEqualTo("DKIM-Signature: v=1; b=\r\n");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
