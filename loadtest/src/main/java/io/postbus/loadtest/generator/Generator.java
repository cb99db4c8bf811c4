package io.postbus.loadtest.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives {@link GeneratorOptions#sessions()} SMTP sessions against one {@link Submission} with the
 * benchmark's blocking client ({@link io.postbus.loadtest.bench.BenchConnection}), as a list
 * manager would: long sessions, many messages each, reconnecting when the server ends a session.
 * Message ids are 1..messages, handed out in order; with a target rate, message {@code i} is not
 * started before {@code start + (i-1)/rate}.
 */
public final class Generator {

    /** Which SMTP client sends. */
    public enum Client {
        /** The benchmark's blocking client, one connection per session, lock step: the precise accept latency. */
        SMTP,
        /** Vert.x Mail Client with a pool of {@code sessions} connections, as a newsletter application sends. */
        VERTX_MAIL
    }

    private final GeneratorOptions options;
    private final Submission submission;
    private final AcceptListener listener;
    private final Client client;

    final AtomicLong nextId = new AtomicLong(1);
    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    final LongAdder connections = new LongAdder();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    long startNanos;
    long deadlineNanos;

    public Generator(GeneratorOptions options, Submission submission, AcceptListener listener) {
        this(options, submission, listener, Client.SMTP);
    }

    public Generator(GeneratorOptions options, Submission submission, AcceptListener listener, Client client) {
        this.options = options;
        this.submission = submission;
        this.listener = listener;
        this.client = client;
    }

    /** Sends until the message count or the duration is spent; blocks until every session ended. */
    public GeneratorResult run() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        VertxMail mail = client == Client.VERTX_MAIL ? VertxMail.open(options, submission) : null;
        for (int i = 0; i < options.sessions(); i++) {
            Runnable session = mail == null ? new GeneratorSession(this, options, submission, listener, go, i)
                    : new VertxMailSession(this, options, submission, listener, go, mail.client(), i);
            Thread t = new Thread(session, "loadgen-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        startNanos = System.nanoTime();
        deadlineNanos = startNanos + options.duration().toNanos();
        go.countDown();
        try {
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            threads.forEach(Thread::interrupt);
            if (mail != null) {
                mail.close();
            }
        }
        return new GeneratorResult(accepted.sum(), refused.sum(), ioErrors.sum(), connections.sum(), startNanos,
                System.nanoTime(), List.copyOf(errors));
    }

    /** The next message id, or -1 when the count is spent or the time is up; waits for its slot at a target rate. */
    long claim() throws InterruptedException {
        if (System.nanoTime() - deadlineNanos >= 0) {
            return -1;
        }
        long id = nextId.getAndIncrement();
        if (id > options.messages()) {
            return -1;
        }
        if (options.ratePerSecond() > 0) {
            long due = startNanos + (long) ((id - 1) * 1e9 / options.ratePerSecond());
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                if (due - deadlineNanos >= 0) {
                    return -1;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        return id;
    }

    void error(String text) {
        synchronized (errors) {
            if (errors.size() < 10 && !errors.contains(text)) {
                errors.add(text);
            }
        }
    }

    boolean timeLeft() {
        return System.nanoTime() - deadlineNanos < 0;
    }
}
