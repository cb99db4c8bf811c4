package io.postbus.loadtest.runner;

import io.postbus.loadtest.generator.Submission;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.ToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The accept path measured with a second, independent generator: Postfix's own {@code smtp-source}
 * (issue 7), run against each system under test after its measured run. Accepted msg/s is the
 * message count over smtp-source's wall time (its connects included, as a newsletter sender's
 * would be); every message must then arrive at the sink, counted there (smtp-source's messages
 * carry none of our ids, so they are counted as arrivals without one).
 *
 * <p>smtp-source sends one recipient address, the same for every message: the Zipf spread over
 * domains of our own generator is not possible with it.
 *
 * @param messages messages smtp-source sends ({@code -m})
 * @param sessions parallel sessions ({@code -s}), each kept open for its next message ({@code -d})
 * @param bodySize payload bytes ({@code -l}), headers on top
 */
public record SmtpSourcePhase(long messages, int sessions, int bodySize) {
    public static final String TOOL = "smtp-source";
    /** The single recipient; the relayhost setting sends it to the sink like every other. */
    public static final String RECIPIENT = "list-member@d1.loadtest.test";

    public SmtpSourcePhase {
        if (messages < 1 || sessions < 1 || bodySize < 1) {
            throw new IllegalArgumentException("messages, sessions and body size must be positive");
        }
    }

    /** What one system did with smtp-source's load. */
    public record Result(String system, long messages, int sessions, double seconds, long arrived, int exitCode, String error) {
        public double acceptedPerSecond() {
            return seconds <= 0 ? 0 : messages / seconds;
        }

        public boolean clean() {
            return exitCode == 0 && arrived == messages;
        }
    }

    /** The command line run against {@code target}. */
    public List<String> command(Submission target) {
        return command(ExternalTool.require(TOOL).toString(), target.sender(), target.target().host() + ":" + target.target().port());
    }

    /** The command line as the report shows it, the port being each system's. */
    public String commandLine(String sender) {
        return String.join(" ", command(TOOL, sender, "127.0.0.1:<port>"));
    }

    private List<String> command(String tool, String sender, String hostPort) {
        return List.of(tool, "-d", "-s", Integer.toString(sessions), "-m", Long.toString(messages), "-l", Integer.toString(bodySize),
                "-f", sender, "-t", RECIPIENT, hostPort);
    }

    /**
     * Runs smtp-source against {@code target}, then waits until {@code arrivals} (the sink's count of
     * this phase's arrivals) reaches the message count or {@code drain} passes.
     */
    public Result run(String system, Submission target, LongSupplier arrivals, Duration drain) throws InterruptedException {
        if (target.authenticates() || target.startTls()) {
            throw new IllegalArgumentException("smtp-source sends without TLS and AUTH: run it on port 25 (--path smtp)");
        }
        // Generous: at 10 msg/s the phase would still finish; a hung smtp-source is killed, and the result says so.
        Duration limit = Duration.ofSeconds(60 + messages / 10);
        ToolResult r = ExternalTool.run(limit, command(target));
        double seconds = r.elapsed().toNanos() / 1e9;
        long deadline = System.nanoTime() + drain.toNanos();
        while (arrivals.getAsLong() < messages && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        String error = r.exitCode() == 0 ? "" : (r.stderr() + r.stdout()).lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + r.exitCode());
        return new Result(system, messages, sessions, seconds, arrivals.getAsLong(), r.exitCode(), error);
    }

    /** The report's section: one row per system, and the ratio of the first to each other. */
    public static String section(List<Result> results, String commandLine) {
        StringBuilder md = new StringBuilder("## Accept path with Postfix's smtp-source\n\n");
        md.append("A second, independent generator for the accept path (issue 7), run against each system after its measured run: `")
                .append(commandLine).append("` (`-d`: each session keeps its connection for the next message)."
                        + " Accepted msg/s = messages / smtp-source's wall time; arrivals are counted at the sink. smtp-source sends"
                        + " the same single recipient in every message, so there is no spread over domains here.\n\n");
        md.append("| smtp-source |");
        results.forEach(r -> md.append(' ').append(r.system()).append(" |"));
        md.append("\n|---|");
        results.forEach(r -> md.append("---:|"));
        md.append('\n');
        row(md, "messages", results, r -> Long.toString(r.messages()));
        row(md, "sessions", results, r -> Integer.toString(r.sessions()));
        row(md, "wall s", results, r -> String.format(Locale.ROOT, "%.2f", r.seconds()));
        row(md, "accepted msg/s", results, r -> String.format(Locale.ROOT, "%.1f", r.acceptedPerSecond()));
        row(md, "arrived at the sink", results, r -> Long.toString(r.arrived()));
        row(md, "exit code", results, r -> Integer.toString(r.exitCode()));
        md.append('\n');
        for (Result r : results.subList(Math.min(1, results.size()), results.size())) {
            Result ours = results.get(0);
            md.append(String.format(Locale.ROOT, "- %s/%s accepted msg/s with smtp-source: %s%n", ours.system(), r.system(),
                    r.acceptedPerSecond() <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", ours.acceptedPerSecond() / r.acceptedPerSecond())));
        }
        results.stream().filter(r -> !r.error().isEmpty())
                .forEach(r -> md.append("- ").append(r.system()).append(": smtp-source said: ").append(r.error()).append('\n'));
        md.append('\n');
        return md.toString();
    }

    private static void row(StringBuilder md, String label, List<Result> results, java.util.function.Function<Result, String> cell) {
        md.append("| ").append(label).append(" |");
        results.forEach(r -> md.append(' ').append(cell.apply(r)).append(" |"));
        md.append('\n');
    }
}
