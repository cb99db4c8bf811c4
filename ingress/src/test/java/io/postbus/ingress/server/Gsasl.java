package io.postbus.ingress.server;

import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.ToolResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * GNU SASL's command-line client, {@code gsasl}, as an SMTP client we can talk through. It does
 * EHLO, STARTTLS and AUTH itself; after AUTH succeeds it copies each line of its standard input to
 * the server (appending CRLF) and prints what the server sends, so a test can go on to send a
 * message through the session gsasl authenticated.
 *
 * <p>gsasl reads that input with {@code getline} after {@code poll} says there is some; with a
 * buffered stdin, two lines arriving together would leave the second in the stdio buffer where
 * {@code poll} never sees it. Running it under {@code stdbuf -i0} makes stdin unbuffered, so every
 * line is read when it arrives.
 */
final class Gsasl implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** An SMTP reply's last line: three digits and a space (or nothing). */
    private static final Pattern LAST_REPLY_LINE = Pattern.compile("^\\d{3}(?: .*)?$");

    private final List<String> command;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<Optional<String>> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stdoutSoFar = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final long began = System.nanoTime();
    private boolean outputEnded;
    private final Thread stderrPump;

    private Gsasl(List<String> command) {
        this.command = List.copyOf(command);
        try {
            this.process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        this.stdin = process.getOutputStream();
        pump(process.getInputStream(), "stdout", line -> {
            stdoutSoFar.append(line).append('\n');
            stdout.add(Optional.of(line));
        }, () -> stdout.add(Optional.empty()));
        stderrPump = pump(process.getErrorStream(), "stderr", line -> stderr.append(line).append('\n'), () -> { });
    }

    /** {@code gsasl ARGS} with unbuffered standard input; see the class comment. */
    static Gsasl start(List<String> args) {
        List<String> command = new ArrayList<>(List.of(ExternalTool.require("stdbuf").toString(), "-i0",
                ExternalTool.require("gsasl").toString()));
        command.addAll(args);
        return new Gsasl(command);
    }

    /** {@code gsasl ARGS} to completion with no input; for exchanges that end at AUTH. */
    static ToolResult run(List<String> args) {
        List<String> command = new ArrayList<>(List.of("gsasl"));
        command.addAll(args);
        return ExternalTool.run(TIMEOUT, command);
    }

    /** Reads gsasl's output up to the last line of the next SMTP reply and returns that line. */
    String awaitReply() {
        return awaitLine(LAST_REPLY_LINE);
    }

    /** Reads gsasl's output up to the next line that matches {@code pattern} and returns that line. */
    String awaitLine(Pattern pattern) {
        while (true) {
            String line = nextLine();
            if (pattern.matcher(line).matches()) {
                return line;
            }
        }
    }

    /** One line of gsasl's standard output; fails the test at end of output. */
    String nextLine() {
        return nextLineOrEnd().orElseThrow(() -> new AssertionError("gsasl's output ended\n" + this));
    }

    /** One line of gsasl's standard output, or empty at its end; fails the test after {@link #TIMEOUT}. */
    Optional<String> nextLineOrEnd() {
        try {
            Optional<String> line = stdout.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no output from gsasl within " + TIMEOUT + "\n" + this);
            }
            outputEnded = line.isEmpty();
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends {@code line} to gsasl's standard input (which gsasl passes on with CRLF). */
    Gsasl send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("gsasl stopped reading: " + e.getMessage() + "\n" + this, e);
        }
        return this;
    }

    /** What to do on the relayed connection once gsasl has authenticated and is about to say QUIT. */
    interface BeforeQuit {
        void run(RawSmtp server) throws IOException;
    }

    /**
     * gsasl has no implicit TLS (port 465): without {@code --connect} it speaks SMTP on its standard
     * input and output, and this relays that, in lock step, over a TLS connection of ours. The SASL
     * exchange is all gsasl's. {@code args} must include {@code --client}, {@code --no-cb} (else gsasl
     * prompts on stdin for channel-binding data) and {@code --application-data}, which turns that
     * default-on option off so gsasl says QUIT right after 235; {@code beforeQuit} then gets the
     * connection, still authenticated, before QUIT is passed on.
     *
     * @return gsasl's exit code and a transcript, server lines as {@code S: }, gsasl's as {@code C: }
     */
    static ToolResult relay(RawSmtp server, List<String> args, BeforeQuit beforeQuit) throws IOException {
        StringBuilder transcript = new StringBuilder();
        try (Gsasl gsasl = start(args)) {
            for (String reply = server.reply(); reply != null; reply = server.reply()) {
                for (String line : reply.split("\n")) {
                    transcript.append("S: ").append(line).append('\n');
                    // With the CR kept, as from a socket: gsasl strips it itself, and a "334 " with
                    // nothing after it (SCRAM's empty first challenge) would otherwise leave it a
                    // zero-length token it mishandles.
                    gsasl.send(line + "\r");
                }
                Optional<String> command = gsasl.nextLineOrEnd();
                if (command.isEmpty()) {
                    break; // gsasl gave up (say after 535) or is done
                }
                transcript.append("C: ").append(command.get()).append('\n');
                if (command.get().equals("QUIT")) {
                    beforeQuit.run(server);
                }
                server.send(command.get() + "\r\n");
            }
            ToolResult r = gsasl.finish();
            return new ToolResult(r.command(), r.exitCode(), transcript.toString(), r.stderr(), r.elapsed());
        }
    }

    /** Ends gsasl's input (it then sends QUIT) and waits for it to exit. */
    ToolResult finish() {
        try {
            stdin.close();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("gsasl did not exit\n" + this);
            }
            drainRemainingOutput();
            stderrPump.join(TIMEOUT.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new ToolResult(command, process.exitValue(), stdoutSoFar.toString(), stderr.toString(),
                Duration.ofNanos(System.nanoTime() - began));
    }

    /** Waits for the end of gsasl's output, so the transcript is whole (lines are kept as they arrive). */
    private void drainRemainingOutput() {
        while (!outputEnded) {
            nextLineOrEnd();
        }
    }

    private static Thread pump(InputStream stream, String name, Consumer<String> onLine, Runnable onEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    onLine.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                }
            } catch (IOException e) {
                // The process went away; its exit code tells the rest.
            } finally {
                onEnd.run();
            }
        }, "gsasl " + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return String.join(" ", command) + "\n--- stdout ---\n" + stdoutSoFar + "--- stderr ---\n" + stderr;
    }
}
