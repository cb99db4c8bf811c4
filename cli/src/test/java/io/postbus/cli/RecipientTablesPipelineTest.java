package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.testkit.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postfix-format recipient tables in the running ingress, with swaks as the client: unknown local
 * users are refused at RCPT with 550 5.1.1, aliases are valid recipients, and an edited table is
 * picked up without a restart.
 */
class RecipientTablesPipelineTest {
    @TempDir
    Path tmp;

    private SmtpSink sink;
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void unknownUsersAreRefusedAtRcptAndTableEditsApplyWithoutRestart() throws Exception {
        Path users = tmp.resolve("local_recipients");
        Files.writeString(users, "# users at postbus.test\nalice   x\n");
        Path aliases = tmp.resolve("aliases");
        Files.writeString(aliases, "sales: alice,\n  postmaster\n");
        sink = SmtpSink.start();
        Map<String, String> s = TestPipelines.settings("rcpt", sink.port());
        s.put("mynetworks", "192.0.2.0/24");
        s.put("mydestination", "postbus.test");
        s.put("local.recipient.maps", users.toString());
        s.put("alias.maps", aliases.toString());
        s.put("lookup.table.reload.interval", "1s");
        pipeline = Pipeline.start(PostbusConfig.parse(s), Set.of(Component.INGRESS), Clock.systemUTC(), null);
        int port = pipeline.smtpPorts().get(ListenerKind.SMTP);

        assertThat(rcpt(port, "alice@postbus.test").stdout()).containsPattern("<[-~] +250 2\\.1\\.5").doesNotContain("550");
        assertThat(rcpt(port, "sales@postbus.test").stdout()).containsPattern("<[-~] +250 2\\.1\\.5");
        assertThat(rcpt(port, "mallory@postbus.test").stdout())
                .contains("550 5.1.1 <mallory@postbus.test>: Recipient address rejected: User unknown in local recipient table");
        assertThat(rcpt(port, "x@elsewhere.example").stdout()).contains("554 5.7.1");

        Files.writeString(users, "alice x\nmallory x\n");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(rcpt(port, "mallory@postbus.test").stdout()).containsPattern("<[-~] +250 2\\.1\\.5"));

        Files.writeString(users, "alice x\njustakey\n");
        Thread.sleep(2500);
        assertThat(rcpt(port, "mallory@postbus.test").stdout()).as("a broken edit keeps the last good table")
                .containsPattern("<[-~] +250 2\\.1\\.5");
    }

    private static ToolResult rcpt(int port, String to) {
        return Swaks.send(port, "someone@sender.example", to, null, "--quit-after", "RCPT");
    }
}
