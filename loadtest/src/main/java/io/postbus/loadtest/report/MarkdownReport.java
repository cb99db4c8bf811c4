package io.postbus.loadtest.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The report as Markdown: a heading, the run's parameters, one table with a column per system,
 * the charts linked, and notes. {@link #parseTable} reads the table back, which the tests (and a
 * later comparison script) use instead of scraping free text.
 */
public final class MarkdownReport {

    private MarkdownReport() {}

    /** The table's rows: label → value of one system, formatted. */
    private static final Map<String, Function<SystemResult, String>> ROWS = rows();

    public static String render(String title, Map<String, String> parameters, List<SystemResult> systems, List<String> charts,
                                List<String> notes) {
        return render(title, parameters, systems, charts, List.of(), notes);
    }

    /** @param sections further Markdown sections, each starting with its own heading, between the charts and the notes */
    public static String render(String title, Map<String, String> parameters, List<SystemResult> systems, List<String> charts,
                                List<String> sections, List<String> notes) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            md.append("- **").append(p.getKey()).append("**: ").append(p.getValue()).append('\n');
        }
        for (SystemResult s : systems) {
            md.append("- **").append(s.system()).append("**: ").append(s.setup()).append('\n');
        }
        md.append('\n');
        md.append("| metric |");
        systems.forEach(s -> md.append(' ').append(s.system()).append(" |"));
        md.append("\n|---|");
        systems.forEach(s -> md.append("---:|"));
        md.append('\n');
        for (Map.Entry<String, Function<SystemResult, String>> row : ROWS.entrySet()) {
            md.append("| ").append(row.getKey()).append(" |");
            systems.forEach(s -> md.append(' ').append(row.getValue().apply(s)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
        if (systems.size() > 1) {
            appendRatios(md, systems);
        }
        for (String chart : charts) {
            md.append("![").append(chart).append("](").append(chart).append(")\n\n");
        }
        sections.forEach(md::append);
        if (!sections.isEmpty() && !notes.isEmpty()) {
            md.append("## Notes\n\n");
        }
        for (String note : notes) {
            md.append("- ").append(note).append('\n');
        }
        return md.toString();
    }

    /**
     * The first table of a report: metric → (system → cell text), in the order written.
     *
     * @throws IllegalArgumentException if there is no table or a row has the wrong number of cells
     */
    public static Map<String, Map<String, String>> parseTable(String markdown) {
        return table(markdown, "metric");
    }

    /** The report's table whose first header cell is {@code firstColumn} (e.g. "smtp-source"), read as {@link #parseTable}. */
    public static Map<String, Map<String, String>> parseTable(String markdown, String firstColumn) {
        return table(markdown, firstColumn);
    }

    /**
     * The ratio table of a comparison: metric → ("postbus/peer" → ratio text).
     *
     * @throws IllegalArgumentException if the report has none (a single system)
     */
    public static Map<String, Map<String, String>> parseRatios(String markdown) {
        return table(markdown, "ratio");
    }

    /**
     * Postbus (the first system) over each peer: throughput, tail latency, CPU and memory. Postbus's CPU
     * figure is its whole runner JVM, generator and sink included; the runner JVM's CPU during a peer's run
     * is those two alone, so "harness excluded" subtracts it to compare the MTAs' own work.
     */
    private static void appendRatios(StringBuilder md, List<SystemResult> systems) {
        SystemResult ours = systems.get(0);
        List<SystemResult> peers = systems.subList(1, systems.size());
        md.append("| ratio |");
        peers.forEach(p -> md.append(' ').append(ours.system()).append('/').append(p.system()).append(" |"));
        md.append("\n|---|");
        peers.forEach(p -> md.append("---:|"));
        md.append('\n');
        Map<String, Function<SystemResult, String>> rows = new LinkedHashMap<>();
        rows.put("accepted msg/s", p -> ratio(ours.acceptedPerSecond(), p.acceptedPerSecond()));
        rows.put("delivered msg/s", p -> ratio(ours.deliveredPerSecond(), p.deliveredPerSecond()));
        rows.put("end-to-end p50 ms", p -> ratio(ours.endToEnd().p50(), p.endToEnd().p50()));
        rows.put("end-to-end p99 ms", p -> ratio(ours.endToEnd().p99(), p.endToEnd().p99()));
        rows.put("CPU s", p -> ratio(ours.cpuSeconds(), p.cpuSeconds()));
        rows.put("CPU s, harness excluded", p -> ratio(Math.max(0, ours.cpuSeconds() - p.runnerCpuSeconds()), p.cpuSeconds()));
        rows.put("peak PSS MiB", p -> ours.peakPssMiB() < 0 || p.peakPssMiB() < 0 ? "-" : ratio(ours.peakPssMiB(), p.peakPssMiB()));
        rows.put("peak RSS MiB", p -> ratio(ours.peakRssMiB(), p.peakRssMiB()));
        for (Map.Entry<String, Function<SystemResult, String>> row : rows.entrySet()) {
            md.append("| ").append(row.getKey()).append(" |");
            peers.forEach(p -> md.append(' ').append(row.getValue().apply(p)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    private static String ratio(double ours, double theirs) {
        return theirs <= 0 ? "-" : fixed(ours / theirs, 2);
    }

    private static Map<String, Map<String, String>> table(String markdown, String first) {
        String header = "| " + first + " |";
        List<String> lines = markdown.lines().dropWhile(l -> !l.startsWith(header)).takeWhile(l -> l.startsWith("|")).toList();
        if (lines.size() < 2) {
            throw new IllegalArgumentException("no " + first + " table in the report");
        }
        List<String> systems = cells(lines.get(0)).subList(1, cells(lines.get(0)).size());
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (String line : lines.subList(2, lines.size())) {
            List<String> cells = cells(line);
            if (cells.size() != systems.size() + 1) {
                throw new IllegalArgumentException("row with " + cells.size() + " cells, expected " + (systems.size() + 1) + ": " + line);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < systems.size(); i++) {
                row.put(systems.get(i), cells.get(i + 1));
            }
            table.put(cells.get(0), row);
        }
        return table;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> out = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            out.add(c.strip());
        }
        return out;
    }

    private static Map<String, Function<SystemResult, String>> rows() {
        Map<String, Function<SystemResult, String>> r = new LinkedHashMap<>();
        r.put("accepted", s -> Long.toString(s.accepted()));
        r.put("refused", s -> Long.toString(s.refused()));
        r.put("I/O errors", s -> Long.toString(s.ioErrors()));
        r.put("delivered", s -> Long.toString(s.delivered()));
        r.put("bounced (sink 5xx share)", s -> Long.toString(s.bounced()));
        r.put("lost", s -> Long.toString(s.lost()));
        r.put("duplicates", s -> Long.toString(s.duplicates()));
        r.put("other arrivals", s -> Long.toString(s.unexpected()));
        r.put("accepted msg/s", s -> fixed(s.acceptedPerSecond(), 1));
        r.put("delivered msg/s", s -> fixed(s.deliveredPerSecond(), 1));
        r.put("end-to-end p50 ms", s -> fixed(s.endToEnd().p50(), 1));
        r.put("end-to-end p90 ms", s -> fixed(s.endToEnd().p90(), 1));
        r.put("end-to-end p99 ms", s -> fixed(s.endToEnd().p99(), 1));
        r.put("end-to-end max ms", s -> fixed(s.endToEnd().max(), 1));
        r.put("accept p50 ms", s -> fixed(s.acceptLatency().p50(), 2));
        r.put("accept p99 ms", s -> fixed(s.acceptLatency().p99(), 2));
        r.put("CPU s", s -> fixed(s.cpuSeconds(), 1));
        r.put("CPU ms per delivered msg", s -> s.delivered() == 0 ? "-" : fixed(s.cpuSeconds() * 1000 / s.delivered(), 2));
        r.put("runner JVM CPU s (generator + sink, + Postbus)", s -> fixed(s.runnerCpuSeconds(), 1));
        r.put("peak PSS MiB", s -> s.peakPssMiB() < 0 ? "-" : fixed(s.peakPssMiB(), 0));
        r.put("peak RSS MiB", s -> fixed(s.peakRssMiB(), 0));
        r.put("DKIM pass (sampled)", s -> s.dkimPassed() + "/" + s.dkimSampled());
        return r;
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
