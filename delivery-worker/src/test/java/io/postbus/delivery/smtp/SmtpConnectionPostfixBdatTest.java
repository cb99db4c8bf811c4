package io.postbus.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.PostfixSmtpSink;
import io.postbus.testkit.PrivatePostfix;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop of our BDAT with a server we did not write: Postfix's smtpd offers CHUNKING (RFC 3030 §2)
 * and relays what it took to smtp-sink, where the body must arrive as we sent it.
 */
class SmtpConnectionPostfixBdatTest {

    private static final SmtpClientConfig CONFIG = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(20)))
            .withTlsPolicy(TlsPolicy.NONE);

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireTools() {
        ExternalTool.require("smtp-sink");
        ExternalTool.require("postfix");
    }

    @Test
    void postfixTakesOneChunkAndSeveralChunksAndRelaysTheBodiesUnchanged() throws Exception {
        byte[] small = message("small", ".leading dot\r\n..two dots\r\n.\r\nend\r\n");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; lines.length() < 2 * BdatChunk.MAX_SIZE + 5000; i++) {
            lines.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a large message\r\n");
        }
        byte[] large = message("large", lines.toString());
        assertThat(BdatChunk.split(large.length, BdatChunk.MAX_SIZE)).hasSize(3);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // the postfix user walks in

        try (PostfixSmtpSink sink = PostfixSmtpSink.start(Files.createDirectories(tmp.resolve("sink")));
             PrivatePostfix postfix = PrivatePostfix.builder().relayTo("127.0.0.1", sink.address().getPort())
                     .start(tmp.resolve("postfix"))) {
            SmtpDeliveryResult r1;
            SmtpDeliveryResult r2;
            try (SmtpConnection c = TestNet.open("postfix.test", postfix.smtpAddress(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.capabilities().chunking()).isTrue();
                r1 = TestNet.send(c, SmtpEnvelope.of("alice@x.test", "bob@y.test", "carol@y.test"), small);
                r2 = TestNet.send(c, SmtpEnvelope.of("alice@x.test", "dave@y.test"), large);
            }
            // Postfix answers BDAT LAST (and only BDAT) with the octet count it took: all of them.
            assertThat(r1.recipients()).allSatisfy(rr -> assertThat(rr.reply().text())
                    .startsWith("2.0.0 Ok: " + small.length + " bytes queued as"));
            assertThat(r2.recipients()).allSatisfy(rr -> assertThat(rr.reply().text())
                    .startsWith("2.0.0 Ok: " + large.length + " bytes queued as"));
            postfix.awaitQueueEmpty(Duration.ofSeconds(30));
            List<PostfixSmtpSink.Dump> dumps = sink.awaitDumps(2, Duration.ofSeconds(30));
            assertThat(dumps).extracting(d -> body(d.message()))
                    .containsExactlyInAnyOrder(body(crlfToLf(small)), body(crlfToLf(large)));
        }
    }

    private static byte[] message(String subject, String body) {
        return ("From: alice@x.test\r\nTo: bob@y.test\r\nSubject: " + subject + "\r\nDate: Sat, 21 Nov 2026 12:00:00 +0000\r\n"
                + "Message-ID: <" + subject + "@x.test>\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** What follows the header section (Postfix adds a Received: header above ours). */
    private static String body(byte[] lfMessage) {
        String text = new String(lfMessage, StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\n\n") + 2);
    }

    private static byte[] crlfToLf(byte[] m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length);
        for (int i = 0; i < m.length; i++) {
            if (!(m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n')) {
                out.write(m[i]);
            }
        }
        return Arrays.copyOf(out.toByteArray(), out.size());
    }
}
