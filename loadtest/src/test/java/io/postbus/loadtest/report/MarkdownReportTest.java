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
        var e2e = new SystemResult.Latency(delivered, 12.5, 30, p99, 250.25, List.of(new double[] {0, 1}, new double[] {50, 12.5},
                new double[] {99, p99}, new double[] {100, 250.25}));
        var accept = new SystemResult.Latency(delivered, 1.25, 4, 8.5, 20, List.of());
        return new SystemResult(name, name + " set up", delivered, 2, 0, delivered, 0, 0, 0, 1, 10, delivered / 10.0,
                delivered / 11.0, e2e, accept, 33.3, 512, "JVM", 100, 100, List.of(50L, 50L), List.of(0L, 45L, 55L));
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
        assertThat(md).contains("![throughput.svg](throughput.svg)", "- **messages**: 1000", "- a note");
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
