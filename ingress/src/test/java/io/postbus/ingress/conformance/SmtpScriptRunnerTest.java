package io.postbus.ingress.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.conformance.ScriptResult.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's verdicts (upstream smtpscript.c semantics) against a canned server that sends
 * fixed bytes, so a verdict on the real server can be trusted to come from the server.
 */
class SmtpScriptRunnerTest {
    private ServerSocket listener;
    private Thread serverThread;

    /** Accepts one connection, sends {@code bytes}, then closes (or holds it open until the client goes). */
    private SmtpScriptRunner canned(String bytes, boolean close) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        serverThread = new Thread(() -> {
            try (Socket s = listener.accept()) {
                s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                if (!close) {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // drain until the client closes
                    }
                }
            } catch (IOException ignored) {
                // the client went away first
            }
        });
        serverThread.start();
        int port = listener.getLocalPort();
        return new SmtpScriptRunner((h, p) -> new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(500), 1);
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        serverThread.join(2000);
    }

    private static ScriptResult run(SmtpScriptRunner r, String body) {
        SmtpScript s = SmtpScriptParser.parse("t", "test-case {\n" + body + "\n}\n");
        return r.run(s, s.testCases().get(0));
    }

    @Test
    void okWantsASingleLineButHeloTakesAMultiLineReply() throws Exception {
        ScriptResult ok = run(canned("250-a\r\n250 b\r\n", false), "expect smtp ok");
        assertThat(ok.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(ok.reason()).isEqualTo("single line response expected");
    }

    @Test
    void heloTakesAMultiLineReply() throws Exception {
        assertThat(run(canned("250-a\r\n250 b\r\n", false), "expect smtp helo").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void replyClassMustMatch() throws Exception {
        ScriptResult r = run(canned("220 hi\r\n451 later\r\n", false), "expect smtp ok\nexpect smtp permfail");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).contains("451 later");
    }

    @Test
    void expectDisconnectFailsWhenDataArrivesInstead() throws Exception {
        ScriptResult r = run(canned("421 bye\r\n", true), "expect disconnect");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).startsWith("data read: 421 bye");
    }

    @Test
    void expectDisconnectPassesOnEndOfStream() throws Exception {
        assertThat(run(canned("421 bye\r\n", true), "expect smtp tempfail\nexpect disconnect").outcome())
                .isEqualTo(Outcome.PASS);
    }

    @Test
    void unreadInputBeforeExpectDisconnectIsAnError() throws Exception {
        ScriptResult r = run(canned("220 a\r\n221 b\r\n", true), "expect smtp\nsleep 100\nexpect smtp\nexpect disconnect");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        ScriptResult left = run(canned("220 a\r\n221 b\r\n", true), "sleep 100\nexpect smtp\nexpect disconnect");
        assertThat(left.outcome()).as("221 still buffered: %s", left).isIn(Outcome.ERROR, Outcome.FAIL);
    }

    @Test
    void aSilentServerTimesOutInsteadOfHanging() throws Exception {
        ScriptResult r = run(canned("", false), "expect smtp");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).startsWith("no reply within 500 ms");
    }

    @Test
    void stricterThanUpstreamOnLineEndsAndCodes() throws Exception {
        assertThat(run(canned("220 hi\n", false), "expect smtp").reason()).contains("CRLF");
        assertThat(run(canned("250-a\r\n251 b\r\n", false), "expect smtp helo").reason()).contains("changes its code");
        assertThat(run(canned("99 x\r\n", false), "expect smtp").reason()).isEqualTo("reply code out of range");
    }

    @Test
    void expectFailTurnsAFailureIntoAPassButNotAnError() throws Exception {
        SmtpScript s = SmtpScriptParser.parse("t", "test-case expect fail {\n\texpect smtp permfail\n}\n");
        assertThat(canned("220 hi\r\n", false).run(s, s.testCases().get(0)).outcome()).isEqualTo(Outcome.PASS);
    }
}
