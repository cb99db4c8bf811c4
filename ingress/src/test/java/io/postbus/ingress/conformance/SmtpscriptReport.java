package io.postbus.ingress.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the verdict of every case and renders the suite report (stdout and a file). */
final class SmtpscriptReport {
    enum Verdict {
        /** The case behaved as upstream expects (for test.base: as upstream's engine reports it). */
        PASSED,
        /** Listed in {@link PolicyDifferences}: upstream's script differs, ours passed. */
        POLICY,
        FAILED
    }

    record CaseVerdict(String file, String id, Verdict verdict, ScriptResult upstream, ScriptResult ours, String note) {}

    private final List<CaseVerdict> cases = new ArrayList<>();
    private final String header;

    SmtpscriptReport(String header) {
        this.header = header;
    }

    synchronized void add(CaseVerdict v) {
        cases.add(v);
    }

    synchronized List<CaseVerdict> cases() {
        return List.copyOf(cases);
    }

    synchronized long count(Verdict v) {
        return cases.stream().filter(c -> c.verdict() == v).count();
    }

    /** "N passed, M failed, K differ by policy" over all cases. */
    synchronized String summaryLine() {
        return counts(cases);
    }

    private static String counts(List<CaseVerdict> list) {
        long p = list.stream().filter(c -> c.verdict() == Verdict.PASSED).count();
        long f = list.stream().filter(c -> c.verdict() == Verdict.FAILED).count();
        long k = list.stream().filter(c -> c.verdict() == Verdict.POLICY).count();
        return p + " passed, " + f + " failed, " + k + " differ by policy";
    }

    synchronized String render(Duration elapsed) {
        StringBuilder sb = new StringBuilder();
        sb.append(header).append('\n');
        sb.append("Total: ").append(cases.size()).append(" cases: ").append(summaryLine()).append('\n');
        List<CaseVerdict> smtp = cases.stream().filter(c -> !c.file().equals("test.base")).toList();
        sb.append("  SMTP cases: ").append(smtp.size()).append(": ").append(counts(smtp)).append('\n');
        sb.append("Run time: ").append(String.format("%.1f s", elapsed.toMillis() / 1000.0)).append("\n\n");

        Map<String, List<CaseVerdict>> byFile = new LinkedHashMap<>();
        cases.forEach(c -> byFile.computeIfAbsent(c.file(), f -> new ArrayList<>()).add(c));
        sb.append("Per file:\n");
        byFile.forEach((f, list) -> sb.append(String.format("  %-14s %3d cases: %s%n", f, list.size(), counts(list))));

        sb.append("\nDiffer by policy (upstream's verdict, then ours; reasons in PolicyDifferences):\n");
        for (CaseVerdict c : cases) {
            if (c.ours() != null) {
                sb.append("  ").append(c.id()).append(c.verdict() == Verdict.FAILED ? "  [FAILED]" : "").append('\n');
                sb.append("    reason: ").append(c.note()).append('\n');
                sb.append("    upstream script: ").append(c.upstream()).append('\n');
                indent(sb, c.upstream().dialogue(), "      ");
                sb.append("    our expectation: ").append(c.ours()).append('\n');
                indent(sb, c.ours().dialogue(), "      ");
            }
        }

        sb.append("\nFailures:\n");
        cases.stream().filter(c -> c.verdict() == Verdict.FAILED && c.ours() == null).forEach(c -> {
            sb.append("  ").append(c.id()).append(": ").append(c.upstream()).append('\n');
            if (c.note() != null) {
                sb.append("    ").append(c.note()).append('\n');
            }
            indent(sb, c.upstream().dialogue(), "      ");
        });

        sb.append("\nAll cases:\n");
        for (CaseVerdict c : cases) {
            String engineNote = c.file().equals("test.base") ? "  (" + c.note() + ")" : "";
            sb.append(String.format("  %-7s %-46s %6d ms  %s%s%n", c.verdict(), c.id(),
                    c.upstream().elapsed().toMillis() + (c.ours() == null ? 0 : c.ours().elapsed().toMillis()),
                    c.upstream(), engineNote));
        }
        return sb.toString();
    }

    /** A dialogue of a thousand RCPTs is cut in the middle: its start and end tell the story. */
    private static void indent(StringBuilder sb, String text, String prefix) {
        List<String> lines = text.lines().toList();
        int keep = 40;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.size() > 2 * keep && i == keep) {
                sb.append(prefix).append("... ").append(lines.size() - 2 * keep).append(" lines ...\n");
                i = lines.size() - keep;
            }
            sb.append(prefix).append(lines.get(i)).append('\n');
        }
    }

    void write(Path file, Duration elapsed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, render(elapsed), StandardCharsets.UTF_8);
    }
}
