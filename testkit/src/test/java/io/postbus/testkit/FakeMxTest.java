package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.testkit.FakeMx.Command;
import io.postbus.testkit.FakeMx.RcptScript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake MX spoken to over a real socket, line by line, as an SMTP client would (RFC 5321). */
class FakeMxTest {
    private final FakeMx mx = FakeMx.start();

    @AfterEach
    void stop() {
        mx.close();
    }

    @Test
    void aWholeTransactionIsRecordedDotUnstuffedWithMultilineEhlo() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        mx.clock(clock);
        try (Client c = new Client(mx.port())) {
            assertThat(c.reply()).containsExactly("220 fakemx.test ESMTP FakeMx");
            // RFC 5321 §4.2.1: every line but the last has a hyphen after the code.
            assertThat(c.send("EHLO client.test")).containsExactly("250-fakemx.test", "250-8BITMIME", "250-SMTPUTF8",
                    "250 ENHANCEDSTATUSCODES");
            assertThat(c.send("MAIL FROM:<alice@example.net> BODY=8BITMIME")).containsExactly("250 2.1.0 Ok");
            assertThat(c.send("RCPT TO:<Bob@Example.com>")).containsExactly("250 2.1.5 Ok");
            assertThat(c.send("DATA")).singleElement().asString().startsWith("354");
            // §4.5.2: the client doubles a leading dot; the server takes one away.
            c.raw("Subject: hi\r\n\r\n..leading dot\r\n.\r\n");
            assertThat(c.reply()).containsExactly("250 2.0.0 Ok: queued");
            assertThat(c.send("QUIT")).containsExactly("221 2.0.0 Bye");
        }
        assertThat(mx.awaitTransactions(1, Duration.ofSeconds(5))).isTrue();
        FakeMx.Transaction t = mx.transactions().get(0);
        assertThat(t.helo()).isEqualTo("client.test");
        assertThat(t.lmtp()).isFalse();
        assertThat(t.mailFrom()).isEqualTo("alice@example.net");
        assertThat(t.recipients()).containsExactly("Bob@Example.com");
        assertThat(t.attempts()).containsEntry("Bob@Example.com", 1);
        assertThat(new String(t.data(), StandardCharsets.US_ASCII)).isEqualTo("Subject: hi\r\n\r\n.leading dot\r\n");
        assertThat(t.arrivedAt()).isEqualTo(clock.instant());
        assertThat(t.accepted()).isTrue();
        assertThat(mx.connectionCount()).isEqualTo(1);
    }

    @Test
    void onlyCrlfStartsALineSoBareLfDotsAreDataAndUtf8AddressesAreKept() throws Exception {
        try (Client c = new Client(mx.port())) {
            c.reply();
            c.send("EHLO client.test");
            assertThat(c.send("MAIL FROM:<jörg@exämple.test> SMTPUTF8")).containsExactly("250 2.1.0 Ok");
            assertThat(c.send("RCPT TO:<дмитрий@пример.рф>")).containsExactly("250 2.1.5 Ok");
            c.send("DATA");
            // RFC 5321 §2.3.8, §4.1.1.4: ".\n" after a bare LF neither ends the data nor is unstuffed.
            c.raw("bare LF\n.\n..\nbare CR\r.\r\n..stuffed\r\n.\r\n");
            assertThat(c.reply()).containsExactly("250 2.0.0 Ok: queued");
        }
        assertThat(mx.awaitTransactions(1, Duration.ofSeconds(5))).isTrue();
        FakeMx.Transaction t = mx.transactions().get(0);
        assertThat(t.mailFrom()).isEqualTo("jörg@exämple.test");
        assertThat(t.recipients()).containsExactly("дмитрий@пример.рф");
        assertThat(new String(t.data(), StandardCharsets.US_ASCII)).isEqualTo("bare LF\n.\n..\nbare CR\r.\r\n.stuffed\r\n");
    }

    @Test
    void rcptRepliesFollowTheAttemptNumberAcrossConnections() throws Exception {
        mx.rcpt("later@example.com", RcptScript.failFirst(2, "451 4.3.0 try again later"));
        mx.rcpt("gone@example.com", RcptScript.always("550 5.1.1 no such user"));
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (Client c = new Client(mx.port())) {
                c.reply();
                c.send("HELO client.test");
                c.send("MAIL FROM:<>");
                replies.add(c.send("RCPT TO:<LATER@example.com>").get(0));
                replies.add(c.send("RCPT TO:<gone@example.com>").get(0));
                c.send("QUIT");
            }
        }
        assertThat(replies).containsExactly("451 4.3.0 try again later", "550 5.1.1 no such user",
                "451 4.3.0 try again later", "550 5.1.1 no such user", "250 2.1.5 Ok", "550 5.1.1 no such user");
        assertThat(mx.attempts("later@example.com")).isEqualTo(3);
        assertThat(mx.rcptAttempts()).filteredOn(a -> a.recipient().startsWith("LATER"))
                .extracting(FakeMx.RcptAttempt::attempt).containsExactly(1, 2, 3);
        assertThat(mx.transactions()).as("no DATA was sent").isEmpty();
    }

    @Test
    void commandsOutOfOrderGet503AndRsetEndsTheTransaction() throws Exception {
        try (Client c = new Client(mx.port())) {
            c.reply();
            c.send("EHLO client.test");
            assertThat(c.send("RCPT TO:<a@example.com>")).containsExactly("503 5.5.1 Error: need MAIL command");
            assertThat(c.send("MAIL FROM:<a@example.net>")).containsExactly("250 2.1.0 Ok");
            assertThat(c.send("MAIL FROM:<a@example.net>")).containsExactly("503 5.5.1 Error: nested MAIL command");
            assertThat(c.send("DATA")).containsExactly("554 5.5.1 Error: no valid recipients");
            assertThat(c.send("RSET")).containsExactly("250 2.0.0 Ok");
            assertThat(c.send("DATA")).containsExactly("503 5.5.1 Error: need MAIL command");
            assertThat(c.send("VRFY x")).singleElement().asString().startsWith("502");
        }
    }

    @Test
    void aScriptedGreetingAndDataEndReply() throws Exception {
        mx.reply(Command.DATA_END, "452 4.3.1 insufficient system storage");
        try (Client c = new Client(mx.port())) {
            c.reply();
            c.send("HELO c");
            c.send("MAIL FROM:<a@example.net>");
            c.send("RCPT TO:<b@example.com>");
            c.send("DATA");
            c.raw("x\r\n.\r\n");
            assertThat(c.reply()).containsExactly("452 4.3.1 insufficient system storage");
        }
        assertThat(mx.awaitTransactions(1, Duration.ofSeconds(5))).isTrue();
        assertThat(mx.transactions().get(0).accepted()).isFalse();

        mx.reply(Command.GREETING, "554 5.3.2 not now");
        try (Client c = new Client(mx.port())) {
            assertThat(c.reply()).containsExactly("554 5.3.2 not now");
            assertThat(c.readLine()).as("the server hangs up after a 554 greeting").isNull();
        }
    }

    @Test
    void anLmtpClientGetsOneReplyPerRecipientAfterTheData() throws Exception {
        try (Client c = new Client(mx.port())) {
            c.reply();
            assertThat(c.send("LHLO client.test")).first().isEqualTo("250-fakemx.test");
            c.send("MAIL FROM:<a@example.net>");
            c.send("RCPT TO:<b@example.com>");
            c.send("RCPT TO:<c@example.com>");
            c.send("DATA");
            c.raw("x\r\n.\r\n");
            // RFC 2033 §4.2: one reply for each successful RCPT, in order.
            assertThat(c.reply()).containsExactly("250 2.0.0 Ok: queued");
            assertThat(c.reply()).containsExactly("250 2.0.0 Ok: queued");
            assertThat(c.send("NOOP")).containsExactly("250 2.0.0 Ok");
        }
        assertThat(mx.transactions()).singleElement().satisfies(t -> {
            assertThat(t.lmtp()).isTrue();
            assertThat(t.recipients()).containsExactly("b@example.com", "c@example.com");
        });
    }

    @Test
    void aDroppedCommandClosesTheConnectionWithoutReplyOrAttempt() throws Exception {
        mx.dropAfter(Command.RCPT);
        try (Client c = new Client(mx.port())) {
            c.reply();
            c.send("HELO c");
            c.send("MAIL FROM:<a@example.net>");
            c.line("RCPT TO:<b@example.com>");
            assertThat(c.readLine()).isNull();
        }
        assertThat(mx.attempts("b@example.com")).isZero();

        mx.behaveNormally().stall(Command.MAIL, Duration.ofMillis(400));
        try (Client c = new Client(mx.port())) {
            c.reply();
            c.send("HELO c");
            long t0 = System.nanoTime();
            assertThat(c.send("MAIL FROM:<a@example.net>")).containsExactly("250 2.1.0 Ok");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    /** A line-at-a-time SMTP client with a read timeout, so a broken server fails the test instead of hanging it. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        List<String> send(String command) throws IOException {
            line(command);
            return reply();
        }

        void line(String command) throws IOException {
            raw(command + "\r\n");
        }

        void raw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String readLine() throws IOException {
            return in.readLine();
        }

        /** One reply: lines up to the one with a space after the code. */
        List<String> reply() throws IOException {
            List<String> lines = new ArrayList<>();
            String l;
            do {
                l = in.readLine();
                if (l == null) {
                    break;
                }
                lines.add(l);
            } while (l.length() > 3 && l.charAt(3) == '-');
            return lines;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
