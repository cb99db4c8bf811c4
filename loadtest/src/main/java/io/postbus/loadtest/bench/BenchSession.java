package io.postbus.loadtest.bench;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SMTP session of the benchmark, on its own thread: connect and EHLO, wait for the common
 * start, then MAIL, RCPT, DATA, message, end-of-data mark, over and over on the same connection
 * until the shared message budget is spent or the deadline has passed.
 *
 * <p>The latency recorded is from writing the end-of-data mark to reading the final reply: the
 * time the server takes to make the message safe (fsync'd queue file, acknowledged Kafka write)
 * and say so. After a rejected command the session quits and reconnects, so a per-session limit
 * (452 4.5.3) or a 421 cannot stall it; a message refused at MAIL for such a limit is sent again.
 */
final class BenchSession implements Runnable {

    /** Consecutive failed connection attempts after which a session gives up. */
    private static final int MAX_CONSECUTIVE_FAILURES = 5;

    private final BenchOptions options;
    private final BenchMessage message;
    private final AtomicLong budget;
    private final CountDownLatch connected;
    private final CountDownLatch start;
    private final AtomicLong deadlineNanos; // set by the runner just before it releases {@code start}
    private final int number;
    private final SessionStats stats = new SessionStats();
    private final byte[] scratch;
    private final SplittableRandom random;
    private long sent;

    BenchSession(BenchOptions options, BenchMessage message, AtomicLong budget, CountDownLatch connected,
                 CountDownLatch start, AtomicLong deadlineNanos, int number) {
        this.options = options;
        this.message = message;
        this.budget = budget;
        this.connected = connected;
        this.start = start;
        this.deadlineNanos = deadlineNanos;
        this.number = number;
        this.scratch = new byte[message.bodySize()];
        this.random = new SplittableRandom(number);
    }

    SessionStats stats() {
        return stats;
    }

    @Override
    public void run() {
        BenchConnection connection = null;
        int failures = 0;
        int retries = 0;
        try {
            connection = connect();
            connected.countDown();
            start.await();
            long deadline = deadlineNanos.get();
            while (System.nanoTime() - deadline < 0 && claim()) {
                if (connection == null) {
                    connection = connect();
                    if (connection == null) {
                        if (++failures >= MAX_CONSECUTIVE_FAILURES) {
                            return;
                        }
                        continue;
                    }
                }
                failures = 0;
                try {
                    Outcome outcome = sendOne(connection);
                    if (outcome != Outcome.ACCEPTED) {
                        connection.quit();
                        connection = null;
                    }
                    if (outcome == Outcome.RETRY && ++retries <= MAX_CONSECUTIVE_FAILURES) {
                        budget.incrementAndGet(); // the message was not sent: send it on the new connection
                    } else if (outcome != Outcome.RETRY) {
                        retries = 0;
                    }
                } catch (IOException | RuntimeException e) {
                    stats.ioError(e);
                    connection.close();
                    connection = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.quit();
            }
        }
    }

    /** Takes one message from the shared budget; never takes it below zero, so a message given back is sent. */
    private boolean claim() {
        while (true) {
            long left = budget.get();
            if (left <= 0) {
                return false;
            }
            if (budget.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    /** What became of one message. */
    private enum Outcome {
        ACCEPTED,
        /** Refused (and counted); the session reconnects and goes on with the next message. */
        REJECTED,
        /**
         * MAIL refused with 421 or 452, a limit of the session rather than a verdict on the
         * message (Postbus's smtpd.session.message.limit answers 452 4.5.3): counted, and the
         * same message is sent again on a new connection, as a real client would.
         */
        RETRY
    }

    private Outcome sendOne(BenchConnection c) throws IOException {
        long start = System.nanoTime();
        SmtpReply reply = c.command("MAIL FROM:<" + options.sender() + ">");
        stats.mailReply(System.nanoTime() - start);
        if (!reply.positive()) {
            stats.rejected(reply);
            return reply.code() == 421 || reply.code() == 452 ? Outcome.RETRY : Outcome.REJECTED;
        }
        reply = c.command("RCPT TO:<" + options.recipient() + ">");
        if (!reply.positive()) {
            stats.rejected(reply);
            return Outcome.REJECTED;
        }
        reply = c.command("DATA");
        if (reply.code() != 354) {
            stats.rejected(reply);
            return Outcome.REJECTED;
        }
        c.write(message.headers("b" + number + "." + (++sent)));
        c.write(message.body(scratch, random));
        c.flush();
        long before = System.nanoTime();
        c.write(BenchMessage.END_OF_DATA);
        c.flush();
        reply = c.readReply();
        long end = System.nanoTime();
        if (!reply.positive()) {
            stats.rejected(reply);
            return Outcome.REJECTED;
        }
        stats.accepted(end - before, end - start);
        return Outcome.ACCEPTED;
    }

    /** A new connection, or null (the failure counted) if connecting or the greeting failed. */
    private BenchConnection connect() {
        try {
            BenchConnection c = BenchConnection.open(options.target(),
                    (int) Math.min(Integer.MAX_VALUE, options.replyTimeout().toMillis()), options.helo(), options.startTls());
            stats.connections++;
            return c;
        } catch (IOException | RuntimeException e) {
            stats.ioError(e);
            sleepQuietly();
            return null;
        }
    }

    private static void sleepQuietly() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
