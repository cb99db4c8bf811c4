package io.postbus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one output stream of a child process on its own thread. Both stdout and stderr must be
 * drained all the time: a child blocks once a pipe buffer (64 KiB on Linux) is full.
 */
final class ProcessOutput {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    private ProcessOutput(InputStream in, String name) {
        reader = new Thread(() -> copy(in), name);
        reader.setDaemon(true);
        reader.start();
    }

    static ProcessOutput drain(InputStream in, String name) {
        return new ProcessOutput(in, name);
    }

    /** Waits until the stream is closed; false if it is still open after {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        reader.join(Math.max(1, millis));
        return !reader.isAlive();
    }

    /** Everything read so far. */
    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private void copy(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (bytes) {
                    bytes.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The process was killed and the pipe closed under us; what was read is kept.
        }
    }
}
