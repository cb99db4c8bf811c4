package io.postbus.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process together with everything it started. A shell wrapper or a forking daemon would
 * otherwise outlive the test and keep its pipes and ports. Descendants are remembered while they
 * are seen, because once a parent exits the OS re-parents its children and they can no longer be
 * found from the parent.
 */
final class ProcessTree {
    private static final long POLL_MILLIS = 50;

    private final Process process;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    ProcessTree(Process process) {
        this.process = process;
    }

    /** Waits for the process to exit, noting its descendants meanwhile; false at the deadline. */
    boolean waitFor(long deadlineNanos) throws InterruptedException {
        while (true) {
            remember();
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                return !process.isAlive();
            }
            if (process.waitFor(Math.min(left, POLL_MILLIS), TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
    }

    /** SIGKILL to the process and every descendant seen. */
    void kill() {
        remember();
        process.destroyForcibly();
        seen.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGTERM first so a peer can flush; SIGKILL whatever is left after {@code graceMillis}. */
    void stop(long graceMillis) throws InterruptedException {
        remember();
        process.destroy();
        seen.forEach(ProcessHandle::destroy);
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
    }

    boolean anyAlive() {
        remember();
        return process.isAlive() || seen.stream().anyMatch(ProcessHandle::isAlive);
    }

    private void remember() {
        process.descendants().forEach(seen::add);
    }
}
