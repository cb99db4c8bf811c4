package io.postbus.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes report.md, throughput.svg and latency.svg into a results folder. */
public final class ReportWriter {

    public static final String REPORT = "report.md";
    public static final String THROUGHPUT = "throughput.svg";
    public static final String LATENCY = "latency.svg";

    private ReportWriter() {}

    /** Creates {@code dir} if needed and returns the report file. */
    public static Path write(Path dir, String title, Map<String, String> parameters, List<SystemResult> systems, List<String> notes)
            throws IOException {
        return write(dir, title, parameters, systems, List.of(), notes);
    }

    /** @param sections further Markdown sections (e.g. a profile), written after the charts, before the notes */
    public static Path write(Path dir, String title, Map<String, String> parameters, List<SystemResult> systems, List<String> sections,
                             List<String> notes) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(THROUGHPUT), SvgCharts.throughput(systems), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(LATENCY), SvgCharts.latency(systems), StandardCharsets.UTF_8);
        Path report = dir.resolve(REPORT);
        Files.writeString(report, MarkdownReport.render(title, parameters, systems, List.of(THROUGHPUT, LATENCY), sections, notes),
                StandardCharsets.UTF_8);
        return report;
    }
}
