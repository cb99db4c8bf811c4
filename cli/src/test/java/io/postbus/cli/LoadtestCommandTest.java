package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.within;

import io.postbus.loadtest.profile.ProfileSection;
import io.postbus.loadtest.profile.ThreadParts;
import io.postbus.loadtest.report.MarkdownReport;
import io.postbus.loadtest.report.ReportWriter;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `postbus loadtest` end to end on the shared test broker: 1,000 newsletters submitted with
 * STARTTLS + AUTH PLAIN, DKIM-signed by the pipeline, two recipients each over a Zipf domain mix
 * (so the router splits most messages), all arrive at the sink exactly once, and the report parses.
 */
class LoadtestCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aThousandMessagesAreAllDeliveredNoneTwiceAndTheReportParses() throws Exception {
        Path out = tmp.resolve("results");
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("loadtest", "--messages", "1000", "--sessions", "8", "--size", "2k", "--recipients", "2",
                "--domains", "50", "--duration", "50s", "--drain-timeout", "40s", "--dkim-samples", "20",
                "--bootstrap-servers", TestKafka.bootstrapServers(),
                "--set", "kafka.topic.prefix=" + TestKafka.uniquePrefix("loadtest"), "--set", "kafka.partitions=2",
                "--out", out.toString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();

        String md = Files.readString(out.resolve(ReportWriter.REPORT));
        Map<String, Map<String, String>> table = MarkdownReport.parseTable(md);
        assertThat(table.get("accepted")).containsEntry("postbus", "1000");
        assertThat(table.get("delivered")).containsEntry("postbus", "1000");
        assertThat(table.get("lost")).containsEntry("postbus", "0");
        assertThat(table.get("duplicates")).containsEntry("postbus", "0");
        assertThat(table.get("refused")).containsEntry("postbus", "0");
        assertThat(table.get("DKIM pass (sampled)")).containsEntry("postbus", "20/20");
        assertThat(Double.parseDouble(table.get("end-to-end p50 ms").get("postbus"))).isPositive();
        assertThat(Double.parseDouble(table.get("end-to-end max ms").get("postbus")))
                .isGreaterThanOrEqualTo(Double.parseDouble(table.get("end-to-end p99 ms").get("postbus")));
        assertThat(Double.parseDouble(table.get("CPU s").get("postbus"))).isPositive();
        assertThat(out.resolve(ReportWriter.THROUGHPUT)).content().contains("<polyline");
        assertThat(out.resolve(ReportWriter.LATENCY)).content().contains("postbus end-to-end");

        // Where the time goes (issue 7): JFR over the measured run, CPU by part adding up to the process's.
        assertThat(md).contains(ProfileSection.HEADING + " (postbus)", "postbus.jfr");
        assertThat(out.resolve("postbus.jfr")).isNotEmptyFile();
        Map<String, Double> shares = ProfileSection.parseShares(md);
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(100.0, within(0.5));
        assertThat(shares).containsKeys("stage auth-worker", "stage spam-worker", "stage queue-router", "stage delivery-worker", "ingress (SMTP server)", "sink (harness)",
                "generator (harness)", ThreadParts.GC_THREADS, ThreadParts.JIT, ThreadParts.UNACCOUNTED);
                assertThat(shares.get("stage auth-worker")).as("DKIM signing is the auth stage's").isPositive();
    }

    /**
     * Port 25 from mynetworks, no DKIM, and a sink that answers 451 once to 10% of the messages and
     * 550 to 2%: the deferred ones come back through the retry tier (RFC 5321 §4.2.5, a 4yz is
     * transient) and arrive, the refused ones bounce to the sender (whose DSN also reaches the sink,
     * as an arrival without an id, unless the run ended first), and nothing is lost.
     */
    @Test
    void deferredMessagesAreRetriedAndRefusedOnesBounceWithoutLoss() throws Exception {
        Path out = tmp.resolve("faults");
        int code = Main.commandLine().execute("loadtest", "--messages", "300", "--sessions", "4", "--size", "1k", "--recipients", "1",
                "--path", "smtp", "--no-dkim", "--sink-defer", "100", "--sink-reject", "20", "--drain-timeout", "40s",
                "--bootstrap-servers", TestKafka.bootstrapServers(),
                "--set", "kafka.topic.prefix=" + TestKafka.uniquePrefix("loadfaults"), "--set", "kafka.partitions=2",
                "--out", out.toString());
        assertThat(code).isZero();
        Map<String, Map<String, String>> table = MarkdownReport.parseTable(Files.readString(out.resolve(ReportWriter.REPORT)));
        long bounced = Long.parseLong(table.get("bounced (sink 5xx share)").get("postbus"));
        long delivered = Long.parseLong(table.get("delivered").get("postbus"));
        assertThat(table.get("accepted")).containsEntry("postbus", "300");
        assertThat(table.get("lost")).containsEntry("postbus", "0");
        assertThat(table.get("duplicates")).containsEntry("postbus", "0");
        assertThat(bounced).isBetween(1L, 20L);
        assertThat(delivered + bounced).isEqualTo(300);
        // Every 550 makes a DSN to the sender, delivered to the same sink; the run may end before the last one arrives.
        assertThat(Long.parseLong(table.get("other arrivals").get("postbus"))).isBetween(0L, bounced);
    }

    /**
     * `--compare postfix` (issue 7): the same 300 DKIM-signed messages through Postbus and through a private
     * Debian Postfix with OpenDKIM as milter, both on port 25 from mynetworks, into the same sink. Both deliver
     * every message exactly once, both signatures verify with the run's key (RFC 6376 §6.1), and the report
     * has both columns and the Postbus/Postfix ratios.
     */
    @Test
    void theComparisonWithPostfixDeliversAllOnBothSignedAndReportsTheRatios() throws Exception {
        ExternalTool.require("postfix");
        ExternalTool.require("opendkim");
        Path out = tmp.resolve("compare");
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("loadtest", "--compare", "postfix", "--smtp-source", "--messages", "300", "--sessions", "10", "--size", "2k",
                "--domains", "50", "--duration", "40s", "--drain-timeout", "30s", "--dkim-samples", "20",
                "--bootstrap-servers", TestKafka.bootstrapServers(),
                "--set", "kafka.topic.prefix=" + TestKafka.uniquePrefix("loadcompare"), "--set", "kafka.partitions=2",
                "--out", out.toString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();

        String md = Files.readString(out.resolve(ReportWriter.REPORT));
        Map<String, Map<String, String>> table = MarkdownReport.parseTable(md);
        for (String system : new String[] {"postbus", "postfix"}) {
            assertThat(table.get("accepted")).containsEntry(system, "300");
            assertThat(table.get("delivered")).containsEntry(system, "300");
            assertThat(table.get("lost")).containsEntry(system, "0");
            assertThat(table.get("duplicates")).containsEntry(system, "0");
            assertThat(table.get("DKIM pass (sampled)")).containsEntry(system, "20/20");
            assertThat(Double.parseDouble(table.get("CPU s").get(system))).isPositive();
        }
        assertThat(Double.parseDouble(table.get("peak PSS MiB").get("postfix"))).isPositive();
        Map<String, Map<String, String>> ratios = MarkdownReport.parseRatios(md);
        for (String metric : new String[] {"accepted msg/s", "delivered msg/s", "end-to-end p99 ms", "CPU s", "peak PSS MiB"}) {
            assertThat(Double.parseDouble(ratios.get(metric).get("postbus/postfix"))).as(metric).isPositive();
        }
        assertThat(md).contains("Postfix 3.", "OpenDKIM", "port 25 from mynetworks");
        assertThat(out.resolve(ReportWriter.LATENCY)).content().contains("postbus end-to-end", "postfix end-to-end");

        // Postfix's smtp-source as the second, independent generator of the accept path: all 300 arrive on both.
        Map<String, Map<String, String>> sourced = MarkdownReport.parseTable(md, "smtp-source");
        for (String system : new String[] {"postbus", "postfix"}) {
            assertThat(sourced.get("arrived at the sink")).containsEntry(system, "300");
            assertThat(sourced.get("exit code")).containsEntry(system, "0");
            assertThat(Double.parseDouble(sourced.get("accepted msg/s").get(system))).isPositive();
        }
        assertThat(md).contains("smtp-source -d -s 10 -m 300 -l 2048", "postbus/postfix accepted msg/s with smtp-source");
        // Only Postbus runs in the runner's JVM, so only it is profiled.
        assertThat(md).contains(ProfileSection.HEADING + " (postbus)").doesNotContain(ProfileSection.HEADING + " (postfix)");
    }

    @Test
    void submissionCannotBeCompared() {
        assertThat(Main.commandLine().execute("loadtest", "--compare", "postfix", "--path", "submission", "--out", tmp.toString()))
                .isEqualTo(78);
    }

    @Test
    void anUnknownPeerIsAConfigurationError() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("loadtest", "--compare", "nosuchmta", "--out", tmp.toString())).isEqualTo(78);
        assertThat(err.toString()).contains("--compare nosuchmta");
    }
}
