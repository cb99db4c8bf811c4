package io.postbus.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/** A long-running external peer started by {@link ExternalTool#start}; closing it ends the process tree. */
public final class RunningTool implements AutoCloseable {
    // A whole pipeline (stages committing, the embedded broker) may need seconds to drain on a loaded machine.
    private static final long STOP_GRACE_MILLIS = 15_000;

    private final List<String> command;
    private final Process process;
    private final ProcessTree tree;
    private final ProcessOutput out;
    private final ProcessOutput err;
    private final long began = System.nanoTime();

    RunningTool(List<String> command, Process process, ProcessOutput out, ProcessOutput err) {
        this.command = command;
        this.process = process;
        this.tree = new ProcessTree(process);
        this.out = out;
        this.err = err;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Output so far. */
    public String stdout() {
        return out.text();
    }

    /** Error output so far. */
    public String stderr() {
        return err.text();
    }

    /**
     * Waits until something accepts TCP connections on {@code host:port}, so a test does not race
     * the peer's startup. Fails early, with the peer's output, if the peer exits instead.
     */
    public RunningTool awaitPort(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            tree.anyAlive(); // note children now, while they can still be found
            if (!process.isAlive()) {
                throw new AssertionError(snapshot().describe("exited before listening on " + host + ":" + port));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return this;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new AssertionError(snapshot().describe("not listening on " + host + ":" + port + " after " + timeout));
    }

    /** Waits until the peer's stdout contains {@code text}, e.g. a "ready" line or a message count. */
    public RunningTool awaitStdout(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!out.text().contains(text)) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(snapshot().describe("did not print \"" + text + "\" within " + timeout));
            }
            sleep(20);
        }
        return this;
    }

    /** Ends the process tree (SIGTERM, then SIGKILL) and returns how it ended with all its output. */
    public ToolResult stop() {
        try {
            tree.stop(STOP_GRACE_MILLIS);
            out.awaitEnd(STOP_GRACE_MILLIS);
            err.awaitEnd(STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            tree.kill();
            Thread.currentThread().interrupt();
        }
        return snapshot();
    }

    @Override
    public void close() {
        if (tree.anyAlive()) {
            stop();
        }
    }

    private ToolResult snapshot() {
        int exit = process.isAlive() ? -1 : process.exitValue();
        return new ToolResult(command, exit, out.text(), err.text(), Duration.ofNanos(System.nanoTime() - began));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
