package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real swaks client, as a user would, and reads the queue id from our 250 reply. */
final class Swaks {
    private static final Pattern QUEUED = Pattern.compile("<[-~] +250 2\\.0\\.0 Ok: queued as (\\S+)");

    private Swaks() {}

    static ToolResult send(int port, String from, String to, Path dataFile, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.require("swaks").toString(),
                "--server", "127.0.0.1:" + port, "--from", from, "--to", to, "--helo", "client.example.net",
                "--timeout", "30"));
        if (dataFile != null) {
            cmd.add("--data");
            cmd.add("@" + dataFile);
        }
        cmd.addAll(List.of(extra));
        return ExternalTool.run(Duration.ofSeconds(60), cmd);
    }

    /** The queue id from a successful transaction; fails the test with swaks's transcript otherwise. */
    static String queueId(ToolResult r) {
        Matcher m = QUEUED.matcher(r.stdout());
        assertThat(m.find()).as("swaks transcript should show 250 queued as:\n%s\n%s", r.stdout(), r.stderr()).isTrue();
        return m.group(1);
    }
}
