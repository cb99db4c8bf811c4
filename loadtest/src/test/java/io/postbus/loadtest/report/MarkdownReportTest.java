package io.postbus.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written report parses back to the figures it was given; the charts are well-formed SVG. */
class MarkdownReportTest {
    @TempDir
    Path dir;

    static SystemResult result(String name, long delivered, double p99) {
        return result(name, delivered, p99, 33.3, 400, 33.3);
    }

    static SystemResult result(String name, long delivered, double p99, double cpu, double pss, double runnerCpu) {
        var e2e = new SystemResult.Latency(delivered, 12.5, 30, p99, 250.25, List.of(new double[] {0, 1}, new double[] {50, 12.5},
                new double[] {99, p99}, new double[] {100, 250.25}));
        var accept = new SystemResult.Latency(delivered, 1.25, 4, 8.5, 20, List.of());
        return new SystemResult(name, name + " set up", delivered, 2, 0, delivered, 0, 0, 0, 1, 10, delivered / 10.0,
                delivered / 11.0, e2e, accept, cpu, 512, pss, runnerCpu, "JVM", 100, 100, List.of(50L, 50L), List.of(0L, 45L, 55L));
    }

    @Test
    void theTableParsesBackPerSystem() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("messages", "1000");
        Path report = ReportWriter.write(dir, "Load test", params, List.of(result("postbus", 1000, 99.5), result("postfix", 998, 120)),
                List.of("a note"));
        String md = Files.readString(report);
        Map<String, Map<String, String>> table = MarkdownReport.parseTable(md);
        assertThat(table.get("delivered")).containsExactly(Map.entry("postbus", "1000"), Map.entry("postfix", "998"));
        assertThat(table.get("end-to-end p99 ms")).containsEntry("postbus", "99.5").containsEntry("postfix", "120.0");
        assertThat(table.get("accept p50 ms")).containsEntry("postbus", "1.25");
        assertThat(table.get("lost")).containsEntry("postbus", "0");
        assertThat(table.get("DKIM pass (sampled)")).containsEntry("postfix", "100/100");
        assertThat(table.get("CPU ms per delivered msg")).containsEntry("postbus", "33.30");
        assertThat(table.get("peak PSS MiB")).containsEntry("postbus", "400");
        assertThat(md).contains("![throughput.svg](throughput.svg)", "- **messages**: 1000", "- a note");
    }

    /**
     * A comparison has a ratio table, Postbus over each peer; the harness-excluded CPU ratio takes the runner
     * JVM's CPU during the peer's run (generator and sink alone) off Postbus's whole-JVM figure.
     */
    @Test
    void aComparisonReportsPostbusOverThePeer() throws Exception {
        Path report = ReportWriter.write(dir, "t", Map.of(), List.of(result("postbus", 1000, 90, 30, 600, 30),
                result("postfix", 1000, 60, 10, 150, 12)), List.of());
        Map<String, Map<String, String>> ratios = MarkdownReport.parseRatios(Files.readString(report));
        assertThat(ratios.get("delivered msg/s")).containsExactly(Map.entry("postbus/postfix", "1.00"));
        assertThat(ratios.get("end-to-end p99 ms")).containsEntry("postbus/postfix", "1.50");
        assertThat(ratios.get("CPU s")).containsEntry("postbus/postfix", "3.00");
        assertThat(ratios.get("CPU s, harness excluded")).containsEntry("postbus/postfix", "1.80");
        assertThat(ratios.get("peak PSS MiB")).containsEntry("postbus/postfix", "4.00");
    }

    @Test
    void aSingleSystemHasNoRatioTable() throws Exception {
        Path report = ReportWriter.write(dir, "t", Map.of(), List.of(result("postbus", 10, 5)), List.of());
        String md = Files.readString(report);
        assertThat(md).doesNotContain("| ratio |");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> MarkdownReport.parseRatios(md));
    }

    @Test
    void chartsAreWellFormedXmlWithOneLinePerSeries() throws Exception {
        ReportWriter.write(dir, "t", Map.of(), List.of(result("postbus", 100, 50), result("postfix", 100, 60)), List.of());
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        var throughput = factory.newDocumentBuilder().parse(dir.resolve(ReportWriter.THROUGHPUT).toFile());
        assertThat(throughput.getElementsByTagName("polyline").getLength()).isEqualTo(4); // accepted + delivered, per system
        var latency = factory.newDocumentBuilder().parse(dir.resolve(ReportWriter.LATENCY).toFile());
        assertThat(latency.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(SvgCharts.nines(90)).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(SvgCharts.niceCeiling(730)).isEqualTo(1000);
        assertThat(SvgCharts.niceCeiling(130)).isEqualTo(200);
    }
}
