package io.postbus.delivery.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reply syntax of RFC 5321 §4.2 and enhanced status codes of RFC 3463 / RFC 2034. */
class SmtpReplyTest {

    @Test
    void singleLineWithEnhancedCode() throws Exception {
        SmtpReply r = SmtpReply.parse(List.of("550 5.1.1 <bob@example.net>: Recipient address rejected"));
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.enhancedStatus()).contains(new EnhancedStatusCode(5, 1, 1));
        assertThat(r.lines()).containsExactly("5.1.1 <bob@example.net>: Recipient address rejected");
        assertThat(r.isPermanent()).isTrue();
        assertThat(r.isTransient()).isFalse();
        assertThat(r.isPositive()).isFalse();
        assertThat(r).hasToString("550 5.1.1 <bob@example.net>: Recipient address rejected");
    }

    @Test
    void multiLineReply() throws Exception {
        SmtpReply r = SmtpReply.parse(List.of("250-mx.example.net", "250-PIPELINING", "250 8BITMIME"));
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.lines()).containsExactly("mx.example.net", "PIPELINING", "8BITMIME");
        assertThat(r.enhancedStatus()).isEmpty();
        assertThat(r.isPositive()).isTrue();
    }

    @Test
    void codeWithoutText() throws Exception {
        // RFC 5321 §4.2: Reply-code [ SP textstring ] CRLF: the text may be left out.
        SmtpReply r = SmtpReply.parse(List.of("250"));
        assertThat(r.lines()).containsExactly("");
        assertThat(SmtpReply.parse(List.of("250-a", "250 ")).lines()).containsExactly("a", "");
    }

    @Test
    void transientAndClosing() throws Exception {
        SmtpReply r = SmtpReply.parse(List.of("421 4.3.2 Service shutting down"));
        assertThat(r.isTransient()).isTrue();
        assertThat(r.isClosing()).isTrue();
        assertThat(r.enhancedStatus()).map(Object::toString).contains("4.3.2");
    }

    @Test
    void enhancedCodeOfAnotherClassIsIgnored() throws Exception {
        // RFC 3463 §3: the class must agree with the reply code.
        assertThat(SmtpReply.parse(List.of("250 5.1.1 odd")).enhancedStatus()).isEmpty();
        assertThat(SmtpReply.parse(List.of("550 5.1.10x no")).enhancedStatus()).isEmpty();
        assertThat(SmtpReply.parse(List.of("556 5.1.10 null MX")).enhancedStatus())
                .contains(new EnhancedStatusCode(5, 1, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "25", "2x0 ok", "abc def", "150 too small", "600 too big", "260 bad second digit",
            "250_ok"})
    void malformedLinesAreProtocolErrors(String line) {
        assertThatThrownBy(() -> SmtpReply.parse(List.of(line))).isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void codeMustNotChangeInsideAReply() {
        assertThatThrownBy(() -> SmtpReply.parse(List.of("250-first", "550 second")))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("changes");
    }

    @Test
    void continuationMarksMustBeConsistent() {
        assertThatThrownBy(() -> SmtpReply.parse(List.of("250-last line says more"))).isInstanceOf(
                MalformedReplyException.class);
        assertThatThrownBy(() -> SmtpReply.parse(List.of("250 first", "250 second"))).isInstanceOf(
                MalformedReplyException.class);
    }

    @Test
    void valuesRejectLineBreaksInText() {
        assertThatThrownBy(() -> SmtpReply.of(250, "ok\r\n250 injected")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpReply.of(199, "ok")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readerFramesRepliesFromAStream() throws Exception {
        Stream reader = reader("220 mx ESMTP\r\n250-mx\r\n250-SIZE 100\r\n250 DSN\r\n354 go\n");
        assertThat(reader.read().code()).isEqualTo(220);
        assertThat(reader.read().lines()).containsExactly("mx", "SIZE 100", "DSN");
        // A bare LF ends a reply line too: tolerated from servers.
        assertThat(reader.read().code()).isEqualTo(354);
        assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
    }

    @Test
    void readerReportsAReplyCutShort() {
        assertThatThrownBy(() -> reader("250-mx\r\n250-PIPE").read()).isInstanceOf(EOFException.class);
    }

    @Test
    void readerRejectsEndlessLinesAndReplies() {
        String longLine = "250 " + "x".repeat(SmtpReplyFramer.MAX_LINE) + "\r\n";
        assertThatThrownBy(() -> reader(longLine).read()).isInstanceOf(MalformedReplyException.class);
        String endless = "250-x\r\n".repeat(SmtpReplyFramer.MAX_LINES + 1);
        assertThatThrownBy(() -> reader(endless).read()).isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void readerRejectsGarbage() {
        assertThatThrownBy(() -> reader("HTTP/1.1 400 Bad Request\r\n").read())
                .isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void readerDecodesUtf8Text() throws Exception {
        // RFC 6531 §3.7.4: an SMTPUTF8 server may answer in UTF-8.
        assertThat(reader("550 5.1.1 Пользователь неизвестен\r\n").read().text())
                .isEqualTo("5.1.1 Пользователь неизвестен");
    }

    @Test
    void framerAssemblesAReplySplitAcrossSegmentsByteByByte() throws Exception {
        // RFC 5321 §4.2.1: a multi-line reply; TCP may deliver it in any pieces, down to one octet.
        byte[] bytes = "250-mx.test\r\n250-PIPELINING\r\n250 SIZE 1000\r\n".getBytes(StandardCharsets.US_ASCII);
        SmtpReplyFramer framer = new SmtpReplyFramer();
        for (int i = 0; i < bytes.length - 1; i++) {
            framer.feed(bytes, i, 1);
            assertThat(framer.next()).as("after %d octets", i + 1).isNull();
        }
        framer.feed(bytes, bytes.length - 1, 1);
        SmtpReply reply = framer.next();
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("mx.test", "PIPELINING", "SIZE 1000");
        assertThat(framer.next()).isNull();
    }

    @Test
    void framerSplitsSeveralRepliesInOneSegment() throws Exception {
        // RFC 2920 §3.1: a pipelining server may answer a whole group in one segment.
        SmtpReplyFramer framer = new SmtpReplyFramer();
        framer.feed("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no such user\r\n354 go".getBytes(StandardCharsets.US_ASCII));
        assertThat(framer.next().toString()).isEqualTo("250 2.1.0 ok");
        assertThat(framer.next().toString()).isEqualTo("250 2.1.5 ok");
        assertThat(framer.next().code()).isEqualTo(550);
        assertThat(framer.next()).isNull(); // "354 go" has no line end yet
        assertThat(framer.endOfStream()).hasMessageContaining("in the middle of a reply line");
        framer.feed("\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(framer.next().code()).isEqualTo(354);
    }

    @Test
    void framerHandsOutTheGoodRepliesBeforeABrokenOne() throws Exception {
        SmtpReplyFramer framer = new SmtpReplyFramer();
        framer.feed("250 ok\r\nHTTP/1.1 400 Bad Request\r\n250 later\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(framer.next().code()).isEqualTo(250);
        assertThatThrownBy(framer::next).isInstanceOf(MalformedReplyException.class);
        assertThatThrownBy(framer::next).isInstanceOf(MalformedReplyException.class);
    }

    /** A framer fed a whole stream at once, read as a blocking reader would be. */
    private record Stream(SmtpReplyFramer framer) {
        SmtpReply read() throws EOFException, MalformedReplyException {
            SmtpReply r = framer.next();
            if (r == null) {
                throw framer.endOfStream();
            }
            return r;
        }
    }

    private static Stream reader(String s) {
        SmtpReplyFramer framer = new SmtpReplyFramer();
        framer.feed(s.getBytes(StandardCharsets.UTF_8));
        return new Stream(framer);
    }
}
