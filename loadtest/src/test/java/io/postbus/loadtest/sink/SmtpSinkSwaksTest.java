package io.postbus.loadtest.sink;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Interop: the real swaks client talks to the sink, plain and with PIPELINING (RFC 2920). */
class SmtpSinkSwaksTest {

    private static final Path SWAKS = Path.of("/usr/bin/swaks");

    @TempDir
    Path dir;
    private SmtpSink sink;

    /** A missing tool fails the test (the README's test command installs it); it never skips it. */
    @org.junit.jupiter.api.BeforeAll
    static void requireTools() {
        io.postbus.testkit.ExternalTool.require("swaks");
    }

    @BeforeEach
    void start() {
        sink = SmtpSink.start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll()
                .withRcpt(r -> r.startsWith("busy@") ? "450 4.2.0 try later" : null)));
    }

    @AfterEach
    void stop() {
        sink.close();
    }

    @Test
    void plainSessionStoresEnvelopeHeloAndUnstuffedBytes() throws Exception {
        Path message = dir.resolve("msg.eml");
        // swaks turns LF into CRLF, dot-stuffs, and appends CRLF.CRLF itself (so no final LF here);
        // the sink must give back the original lines.
        Files.writeString(message, "Subject: plain\n\n.leading dot\n..two dots\nlast line");

        Result r = swaks("--from", "alice@example.org", "--to", "bob@example.net",
                "--helo", "client.example.org", "--data", message.toString());

        assertThat(r.exit).as(r.output).isZero();
        assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).isTrue();
        ReceivedMessage m = sink.messages().get(0);
        assertThat(m.mailFrom()).isEqualTo("alice@example.org");
        assertThat(m.recipients()).containsExactly("bob@example.net");
        assertThat(m.helo()).isEqualTo("client.example.org");
        assertThat(m.text()).isEqualTo("Subject: plain\r\n\r\n.leading dot\r\n..two dots\r\nlast line\r\n");
        assertThat(sink.recipientCount()).isEqualTo(1);
    }

    @Test
    void pipelinedSessionKeepsOnlyAcceptedRecipients() throws Exception {
        Path message = dir.resolve("msg.eml");
        Files.writeString(message, "Subject: pipelined\n\nbody");

        Result r = swaks("--pipeline", "--from", "alice@example.org",
                "--to", "one@example.net,busy@example.net,two@example.net", "--data", message.toString());

        assertThat(r.output).contains("<** 450 4.2.0 try later");
        assertThat(r.output).containsPattern("(?i)PIPELINING");
        assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).as(r.output).isTrue();
        ReceivedMessage m = sink.messages().get(0);
        assertThat(m.recipients()).containsExactly("one@example.net", "two@example.net");
        assertThat(m.text()).isEqualTo("Subject: pipelined\r\n\r\nbody\r\n");
        assertThat(sink.recipientCount()).isEqualTo(2);
    }

    @Test
    void manySequentialSessionsAreCounted() throws Exception {
        Path message = dir.resolve("msg.eml");
        Files.writeString(message, "Subject: n\n\nx");
        for (int i = 0; i < 5; i++) {
            Result r = swaks("--pipeline", "--from", "a@example.org", "--to", "r" + i + "@example.net",
                    "--data", message.toString());
            assertThat(r.exit).as(r.output).isZero();
        }
        assertThat(sink.awaitCount(5, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.connectionCount()).isEqualTo(5);
    }

    private Result swaks(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1",
                "--port", String.valueOf(sink.port()), "--timeout", "10"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) { }
}
