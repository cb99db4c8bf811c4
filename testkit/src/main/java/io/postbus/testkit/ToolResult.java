package io.postbus.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an external command did: exit code and its whole output, decoded as UTF-8.
 *
 * @param command the command as run, first element resolved to an absolute path
 */
public record ToolResult(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public ToolResult {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result if the exit code was 0, else fails with everything needed to see why. */
    public ToolResult assertSuccess() {
        if (!succeeded()) {
            throw new AssertionError(describe("exited with " + exitCode));
        }
        return this;
    }

    String describe(String what) {
        return String.join(" ", command) + " " + what
                + "\n--- stdout ---\n" + stdout
                + "\n--- stderr ---\n" + stderr;
    }
}
