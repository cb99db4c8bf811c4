package io.postbus.loadtest.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingress benchmark: N concurrent SMTP sessions against one loopback server, each sending
 * message after message on one connection, bounded by a message count and a time limit.
 * Reports accepted messages per second and the end-of-data to reply latency (p50, p90, p99, max)
 * from an HdrHistogram, with the non-2xx replies by code.
 *
 * <pre>
 * java -cp 'loadtest/target/classes:cli/target/lib/*' io.postbus.loadtest.bench.AcceptBench \
 *     --target 127.0.0.1:2525 --label postbus --sessions 20 --messages 5000 --time-limit 120s
 * </pre>
 *
 * <p>Exit status: 0 when at least one message was accepted, 2 when none was, 64 for bad arguments.
 * {@code scripts/bench-accept} runs it against Postbus and a private Postfix side by side.
 */
public final class AcceptBench {

    private AcceptBench() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("AcceptBench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(64);
            return;
        }
        if (options.warmupMessages() > 0) {
            BenchReport warmup = run(options, options.warmupMessages());
            System.out.printf("warm-up: %d accepted in %.2f s (not counted)%n", warmup.stats().accepted, warmup.seconds());
        }
        BenchReport report = run(options, options.messages());
        System.out.println(report.text());
        if (options.resultFile() != null) {
            appendResult(options, report);
        }
        System.out.flush();
        // Sessions that overran the time limit are daemon threads stuck in a read: do not wait for them.
        System.exit(report.stats().accepted > 0 ? 0 : 2);
    }

    /** Runs {@code messages} messages (or until the time limit) with fresh sessions. */
    static BenchReport run(BenchOptions options, long messages) throws InterruptedException {
        BenchMessage message = new BenchMessage(options.sender(), options.recipient(), options.bodySize(),
                options.content());
        AtomicLong budget = new AtomicLong(messages);
        CountDownLatch connected = new CountDownLatch(options.sessions());
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong deadline = new AtomicLong();
        List<BenchSession> sessions = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.sessions(); i++) {
            BenchSession session = new BenchSession(options, message, budget, connected, start, deadline, i);
            // A small stack: 200 or 2,000 blocked readers need little, and they share 2 cores with the servers.
            Thread t = new Thread(null, session, "bench-session-" + i, 256 * 1024);
            t.setDaemon(true);
            sessions.add(session);
            threads.add(t);
            t.start();
        }
        Duration setup = options.replyTimeout().plusSeconds(10);
        if (!connected.await(setup.toMillis(), TimeUnit.MILLISECONDS)) {
            System.err.printf("AcceptBench: %d of %d sessions not connected after %s; starting anyway%n",
                    connected.getCount(), options.sessions(), setup);
        }
        long cpuBefore = processCpuNanos();
        long begin = System.nanoTime();
        deadline.set(begin + options.timeLimit().toNanos());
        start.countDown();
        long joinBy = deadline.get() + options.replyTimeout().plusSeconds(10).toNanos();
        int overran = 0;
        for (Thread t : threads) {
            long left = joinBy - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t.isAlive()) {
                overran++;
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        if (overran > 0) {
            System.err.printf("AcceptBench: %d sessions still waiting for a reply at the end%n", overran);
        }
        SessionStats total = new SessionStats();
        for (int i = 0; i < sessions.size(); i++) {
            if (!threads.get(i).isAlive()) { // a live session's counters are still changing
                total.add(sessions.get(i).stats());
            }
        }
        return new BenchReport(options, total, seconds, cpuSeconds);
    }

    /**
     * CPU time of this JVM so far, to show what the generator itself took from the cores it shares
     * with the server; -1 where the JVM does not say.
     */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static void appendResult(BenchOptions options, BenchReport report) throws IOException {
        boolean fresh = !Files.exists(options.resultFile()) || Files.size(options.resultFile()) == 0;
        String lines = (fresh ? BenchReport.TSV_HEADER + "\n" : "") + report.tsvLine() + "\n";
        Files.writeString(options.resultFile(), lines, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
