package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.RunningTool;
import io.postbus.testkit.ToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs that run: the README's first command, started the way a newcomer would from the checkout,
 * must bring up Postbus, take a message from swaks, deliver it, report healthy, and stop cleanly.
 * Only isolation is added: a temporary data directory, free ports, and a relayhost to a sink.
 */
class ReadmeQuickstartIT {
    @TempDir
    Path data;

    private final Path root = Path.of(System.getProperty("postbus.project.dir", ".")).toAbsolutePath().normalize();

    /** The commands of the README's first code block, without their comments. */
    private List<String> readmeCommands() throws Exception {
        List<String> lines = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8);
        int fence = 0;
        while (!lines.get(fence).startsWith("```")) {
            fence++;
        }
        return List.of(lines.get(fence + 1).replaceAll("\\s+#.*$", "").trim(),
                lines.get(fence + 2).replaceAll("\\s+#.*$", "").trim());
    }

    @Test
    void readmeOpensWithTheStartAndTestCommandsAndCiRunsTheSecond() throws Exception {
        assertThat(readmeCommands()).containsExactly("./postbus up", "./postbus test");
        assertThat(Files.readString(root.resolve(".ci/run"))).contains("exec ./postbus test");
    }

    @Test
    void theFirstCommandStartsPostbusThatDeliversMailAndStopsCleanly() throws Exception {
        String up = readmeCommands().get(0);
        try (SmtpSink sink = SmtpSink.start();
             RunningTool postbus = ExternalTool.start(List.of("bash", "-c", "cd '" + root + "' && exec " + up
                     + " --data-dir '" + data + "' --relayhost '[127.0.0.1]:" + sink.port() + "'"
                     + " --set smtp.listen=127.0.0.1:0 --set submission.listen=127.0.0.1:0"
                     + " --set submissions.listen=127.0.0.1:0 --set http.listen=127.0.0.1:0"))) {
            postbus.awaitStdout("Ready.", Duration.ofSeconds(180));
            String summary = postbus.stdout();
            int smtpPort = port(summary, "smtp");
            int httpPort = port(summary, "http");
            assertThat(summary).contains("submission ", "submissions", "(embedded, data in " + data.resolve("kafka"));

            String id = Swaks.queueId(Swaks.send(smtpPort, "newcomer@example.net", "friend@example.com", null));
            assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).isTrue();
            assertThat(sink.messages().get(0).text()).contains(" id " + id);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"", "\"delivery-worker\":\"UP\"");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("postbus_stage_records_total");

            ToolResult stopped = postbus.stop();
            assertThat(stopped.exitCode()).as("ended by SIGTERM through the shutdown hook, not killed:\n%s", stopped.stderr())
                    .isEqualTo(143);
            assertThat(stopped.stderr()).doesNotContain("Exception");
        }
    }

    private static int port(String summary, String label) {
        Matcher m = Pattern.compile("^  " + label + " +[0-9.]+:(\\d+)", Pattern.MULTILINE).matcher(summary);
        assertThat(m.find()).as("%s port in:\n%s", label, summary).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
