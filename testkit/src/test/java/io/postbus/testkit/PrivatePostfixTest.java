package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private Postfix peer: relays every message it accepts, accounts its processes, leaves nothing behind. */
class PrivatePostfixTest {
    private static final int MESSAGES = 200;
    private static final int SESSIONS = 4;
    private static final Pattern SEQ = Pattern.compile("^X-Seq: (\\d+)$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @Test
    void relaysEveryMessageToTheSinkAndLeavesNoProcessBehind() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path swaks = ExternalTool.require("swaks");
        Path dir = tmp.resolve("postfix");
        List<ProcessHandle> processes;
        PeerUsage usage;
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(Files.createDirectories(tmp.resolve("sink")));
             PrivatePostfix postfix = PrivatePostfix.builder()
                     .relayTo("127.0.0.1", sink.address().getPort()).concurrency(20).start(dir)) {
            String server = "127.0.0.1:" + postfix.smtpAddress().getPort();
            ExternalTool.run(Duration.ofSeconds(30), List.of(swaks.toString(), "--server", server,
                    "--from", "sender@example.org", "--to", "rcpt@example.net",
                    "--header", "X-Seq: 0", "--body", "sent by swaks")).assertSuccess();
            sendRaw(postfix, 1, MESSAGES);

            postfix.awaitQueueEmpty(Duration.ofSeconds(30));
            List<PostfixSmtpSink.Dump> dumps = sink.awaitDumps(MESSAGES, Duration.ofSeconds(30));
            Set<Integer> seqs = new TreeSet<>();
            for (PostfixSmtpSink.Dump d : dumps) {
                Matcher m = SEQ.matcher(new String(d.message(), java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(m.find()).as("X-Seq in a relayed message").isTrue();
                seqs.add(Integer.parseInt(m.group(1)));
            }
            assertThat(dumps).hasSize(MESSAGES);
            assertThat(seqs).hasSize(MESSAGES).first().isEqualTo(0);
            assertThat(seqs).last().isEqualTo(MESSAGES - 1);
            assertThat(postfix.queueIsEmpty()).isTrue();

            processes = postfix.processes();
            assertThat(processes).extracting(p -> p.info().command().orElse("?"))
                    .anyMatch(c -> c.endsWith("/master")).anyMatch(c -> c.endsWith("/smtpd"));
            usage = postfix.usage();
            // master, pickup, qmgr, postlogd at least; smtpd, cleanup, smtp, trivial-rewrite linger idle.
            assertThat(usage.peakProcesses()).isGreaterThanOrEqualTo(8);
            assertThat(usage.cpuSeconds()).isPositive();
            assertThat(usage.peakRssBytes()).isGreaterThan(8L << 20);
            assertThat(usage.peakPssBytes()).isGreaterThan(0).isLessThan(usage.peakRssBytes());
            assertThat(Files.readString(postfix.maillog())).contains("status=sent");
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(processesInside(dir)).isEmpty();
        assertThat(dir).doesNotExist();
        System.out.printf("private Postfix relayed %d messages: %s%n", MESSAGES, usage);
    }

    @Test
    void refusesADirectoryThatIsNotEmpty() throws IOException {
        Files.writeString(tmp.resolve("precious"), "x");
        assertThatThrownBy(() -> PrivatePostfix.builder().relayTo("127.0.0.1", 25).start(tmp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        assertThat(tmp.resolve("precious")).exists();
    }

    /** Messages first..last-1 over SESSIONS concurrent sessions, several transactions per session. */
    private static void sendRaw(PrivatePostfix postfix, int first, int last) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try {
            List<Future<?>> sessions = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                int session = s;
                sessions.add(pool.submit(() -> {
                    try (SmtpTestClient c = new SmtpTestClient(postfix.smtpAddress())) {
                        for (int seq = first + session; seq < last; seq += SESSIONS) {
                            c.send("sender@example.org", "rcpt@example.net", "From: <sender@example.org>\r\n"
                                    + "To: <rcpt@example.net>\r\nSubject: raw " + seq + "\r\nX-Seq: " + seq
                                    + "\r\n\r\nbody of message " + seq + "\r\n");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sessions) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Processes whose working directory is at or below {@code dir}: Postfix's daemons run in the queue. */
    static List<Long> processesInside(Path dir) throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("cwd")).startsWith(dir)) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | SecurityException gone) {
                    // exited, or not ours to look at
                }
            }
        }
        return found;
    }
}
