package io.postbus.testkit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs the command-line tools the interop tests talk to (swaks, Postfix's smtp-source and
 * smtp-sink, dkimpy, OpenDKIM, GNU SASL's gsasl, Dovecot's LMTP server). A missing tool fails the test with the package to
 * install: a test that skips itself when its tool is missing would let a whole interop suite pass by
 * not running.
 */
public final class ExternalTool {

    /** The Debian package that installs each tool, so the failure message can say what to do. */
    private static final Map<String, String> DEBIAN_PACKAGES = Map.ofEntries(
            Map.entry("swaks", "swaks"),
            Map.entry("smtp-source", "postfix"),
            Map.entry("smtp-sink", "postfix"),
            Map.entry("postfix", "postfix"),
            Map.entry("postqueue", "postfix"),
            Map.entry("dkimverify", "python3-dkim"),
            Map.entry("dkimsign", "python3-dkim"),
            Map.entry("arcverify", "python3-dkim"),
            Map.entry("arcsign", "python3-dkim"),
            Map.entry("opendkim-testkey", "opendkim-tools"),
            Map.entry("opendkim-genkey", "opendkim-tools"),
            Map.entry("opendkim", "opendkim"),
            Map.entry("openssl", "openssl"),
            Map.entry("gsasl", "gsasl"),
            Map.entry("dovecot", "dovecot-lmtpd"),
            Map.entry("stdbuf", "coreutils"));

    /** Postfix puts smtp-source and smtp-sink in /usr/sbin, which a non-root PATH often lacks. */
    private static final List<Path> SBIN_DIRS = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    /** How long to wait for output to end after the process itself has exited. */
    private static final long OUTPUT_GRACE_MILLIS = 2_000;

    private ExternalTool() {
    }

    /** The executable for {@code name} on PATH or in the sbin directories, if there is one. */
    public static Optional<Path> find(String name) {
        return find(name, System.getenv("PATH"));
    }

    static Optional<Path> find(String name, String pathVariable) {
        if (name.indexOf('/') >= 0) {
            Path path = Path.of(name);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        Set<Path> dirs = new LinkedHashSet<>();
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.addAll(SBIN_DIRS);
        return dirs.stream()
                .map(dir -> dir.resolve(name))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    /** The executable for {@code name}; fails the test, never skips it, when it is not installed. */
    public static Path require(String name) {
        return find(name).orElseThrow(() -> new AssertionError(notFoundMessage(name)));
    }

    static String notFoundMessage(String name) {
        return name + " not found: run the README test command, which installs the Debian package "
                + DEBIAN_PACKAGES.getOrDefault(name, "that provides " + name);
    }

    /** Runs a command without input. */
    public static ToolResult run(Duration timeout, List<String> command) {
        return run(timeout, command, null);
    }

    /**
     * Runs {@code command} to completion and returns its exit code and output. The first element
     * may be a bare tool name; it is resolved with {@link #require}. When {@code timeout} passes,
     * the process and all it started are killed and the call fails with the output so far.
     *
     * @param stdin bytes written to the command's standard input, which is then closed; may be null
     */
    public static ToolResult run(Duration timeout, List<String> command, byte[] stdin) {
        List<String> resolved = resolve(command);
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        Process process = launch(resolved);
        ProcessOutput out = ProcessOutput.drain(process.getInputStream(), "stdout of " + resolved.get(0));
        ProcessOutput err = ProcessOutput.drain(process.getErrorStream(), "stderr of " + resolved.get(0));
        feed(process, stdin);
        ProcessTree tree = new ProcessTree(process);
        try {
            boolean exited = tree.waitFor(deadline);
            // A child that exits while its own children keep the pipes open is not finished yet.
            boolean outputEnded = exited
                    && out.awaitEnd(Math.min(remainingMillis(deadline), OUTPUT_GRACE_MILLIS))
                    && err.awaitEnd(Math.min(remainingMillis(deadline), OUTPUT_GRACE_MILLIS));
            if (!outputEnded) {
                tree.kill();
                out.awaitEnd(OUTPUT_GRACE_MILLIS);
                err.awaitEnd(OUTPUT_GRACE_MILLIS);
                ToolResult partial = new ToolResult(resolved, -1, out.text(), err.text(), elapsed(began));
                throw new AssertionError(partial.describe("did not finish within " + timeout + " and was killed"));
            }
            return new ToolResult(resolved, process.exitValue(), out.text(), err.text(), elapsed(began));
        } catch (InterruptedException e) {
            tree.kill();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", resolved), e);
        }
    }

    /**
     * Starts a long-running peer such as smtp-sink. Its output is collected until it is stopped;
     * closing the handle ends the process and everything it started.
     */
    public static RunningTool start(List<String> command) {
        List<String> resolved = resolve(command);
        Process process = launch(resolved);
        try {
            process.getOutputStream().close(); // a peer that reads stdin sees end of input, not a hang
        } catch (IOException e) {
            // Already gone; the handle reports how it ended.
        }
        return new RunningTool(resolved, process,
                ProcessOutput.drain(process.getInputStream(), "stdout of " + resolved.get(0)),
                ProcessOutput.drain(process.getErrorStream(), "stderr of " + resolved.get(0)));
    }

    private static List<String> resolve(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, require(command.get(0)).toString());
        return List.copyOf(resolved);
    }

    private static Process launch(List<String> command) {
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Writes stdin on its own thread so a child that writes before it reads cannot deadlock us. */
    private static void feed(Process process, byte[] stdin) {
        Thread writer = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // The child closed its stdin early (or exited); its exit code and stderr will tell.
            }
        }, "stdin of " + process.pid());
        writer.setDaemon(true);
        writer.start();
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static Duration elapsed(long beganNanos) {
        return Duration.ofNanos(System.nanoTime() - beganNanos);
    }
}
