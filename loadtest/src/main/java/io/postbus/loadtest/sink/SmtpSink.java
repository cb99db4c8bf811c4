package io.postbus.loadtest.sink;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A fast receiving SMTP server that stores (or just counts) what it is sent: the receiving MX of
 * end-to-end tests and the target of the load generator.
 *
 * <p>Speaks ESMTP with PIPELINING, 8BITMIME, SMTPUTF8, SIZE, ENHANCEDSTATUSCODES and DSN; answers
 * from a {@link SinkPolicy}. Accessors are thread-safe: the event loops add, tests read.
 *
 * <pre>{@code
 * try (SmtpSink sink = SmtpSink.start(SinkConfig.defaults()
 *         .withPolicy(SinkPolicy.acceptAll().withRcpt(r -> r.startsWith("busy") ? "450 4.2.0 try later" : null)))) {
 *     ... deliver to 127.0.0.1:sink.port() ...
 *     sink.awaitCount(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class SmtpSink implements AutoCloseable {

    private static final AtomicInteger SHARED_RANDOM_PORT_KEY = new AtomicInteger();

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final SinkConfig config;
    private volatile int port;
    private volatile String deploymentId;

    private final Object lock = new Object();
    private final List<ReceivedMessage> messages = new ArrayList<>();
    private long messageCount;
    private long recipientCount;
    private final AtomicLong connectionCount = new AtomicLong();
    private volatile Consumer<ReceivedMessage> arrivals = m -> { };

    private SmtpSink(Vertx vertx, boolean ownsVertx, SinkConfig config) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.config = config;
    }

    /** Starts with the defaults (127.0.0.1, a free port, accept everything) on its own Vert.x. */
    public static SmtpSink start() {
        return start(SinkConfig.defaults());
    }

    /** Starts on its own Vert.x instance, which {@link #close()} closes; blocks until listening. */
    public static SmtpSink start(SinkConfig config) {
        Vertx vertx = Vertx.vertx();
        try {
            return await(start(vertx, config, true), Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Starts on a Vert.x instance the caller owns and closes. */
    public static Future<SmtpSink> start(Vertx vertx, SinkConfig config) {
        return start(vertx, config, false);
    }

    private static Future<SmtpSink> start(Vertx vertx, SinkConfig config, boolean ownsVertx) {
        SmtpSink sink = new SmtpSink(vertx, ownsVertx, config);
        // Every instance listens on the same port and Vert.x shares it. A free port is shared
        // through a negative port number, which Vert.x reads as "one random port for every
        // server that names this number"; each sink uses its own number.
        int listenPort = config.port() == 0 ? -SHARED_RANDOM_PORT_KEY.incrementAndGet() : config.port();
        return vertx.deployVerticle(
                        () -> new SinkVerticle(config, listenPort, sink.connectionCount::incrementAndGet, sink::store,
                                port -> sink.port = port),
                        new DeploymentOptions().setInstances(config.eventLoops()))
                .map(id -> {
                    sink.deploymentId = id;
                    return sink;
                });
    }

    /** Called by sessions on their event loop when the policy accepted a message. */
    private void store(ReceivedMessage message) {
        synchronized (lock) {
            messageCount++;
            recipientCount += message.recipients().size();
            if (config.retainMessages()) {
                messages.add(message);
            }
            lock.notifyAll();
        }
        arrivals.accept(message);
    }

    /**
     * Calls {@code listener} with every accepted message, on the event loop that received it, just
     * after it was counted: how a load test sees each arrival without retaining the bytes. The
     * listener must be quick and must not block; it replaces any earlier one.
     */
    public SmtpSink onArrival(Consumer<ReceivedMessage> listener) {
        this.arrivals = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    public int port() {
        return port;
    }

    public String host() {
        return config.host();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(config.host(), port);
    }

    /** A snapshot of the stored messages in arrival order (empty if messages are not retained). */
    public List<ReceivedMessage> messages() {
        synchronized (lock) {
            return List.copyOf(messages);
        }
    }

    /** Messages accepted since start or the last {@link #clear()}. */
    public long count() {
        synchronized (lock) {
            return messageCount;
        }
    }

    /** Recipients of accepted messages, since start or the last {@link #clear()}. */
    public long recipientCount() {
        synchronized (lock) {
            return recipientCount;
        }
    }

    /** Connections accepted since start; not reset by {@link #clear()}. */
    public long connectionCount() {
        return connectionCount.get();
    }

    /** Waits until at least {@code n} messages were accepted; false if the timeout passed first. */
    public boolean awaitCount(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (messageCount < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** Forgets the stored messages and resets the message and recipient counters. */
    public void clear() {
        synchronized (lock) {
            messages.clear();
            messageCount = 0;
            recipientCount = 0;
        }
    }

    /**
     * Stops listening and closes open connections without blocking: for a sink started on the
     * caller's Vert.x, from an event loop.
     */
    public Future<Void> stop() {
        String id = deploymentId;
        deploymentId = null;
        return id == null ? Future.succeededFuture() : vertx.undeploy(id);
    }

    /**
     * Stops listening, closes open connections and, if the sink started its own Vert.x, closes
     * it. Blocks, so never call it on an event loop (use {@link #stop()} there).
     */
    @Override
    public void close() {
        await(stop(), Duration.ofSeconds(30));
        if (ownsVertx) {
            // Awaited apart from the undeploy: chained onto it with eventually(), the close ran on
            // an event loop of the Vert.x being closed and never completed.
            await(vertx.close(), Duration.ofSeconds(30));
        }
    }

    private static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("SMTP sink failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("SMTP sink did not start or stop within " + timeout, e);
        }
    }
}
