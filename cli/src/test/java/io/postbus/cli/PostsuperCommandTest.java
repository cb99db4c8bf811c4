package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlOrder;
import io.postbus.core.control.ControlTarget;
import io.postbus.core.control.TargetKind;
import io.postbus.core.kafka.ControlReader;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.testkit.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code postbus postsuper}: Postfix's postsuper(1) options, written as commands to mail.control. */
class PostsuperCommandTest {

    @Test
    void optionsBecomeCommandsWithPostfixsAllSpelling() {
        PostsuperCommand cmd = new PostsuperCommand();
        new CommandLine(cmd).parseArgs("-h", "ALL", "-H", "4Xy7Zq", "-d", "all", "-r", "ALL",
                "--suspend-destination", "Example.NET", "--resume-site", "gmail", "--expires", "PT2H", "--reason", "maintenance");
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        List<ControlOrder> orders = cmd.orders(now);
        assertThat(orders).extracting(ControlOrder::action).containsExactly(ControlAction.HOLD, ControlAction.RELEASE,
                ControlAction.DELETE, ControlAction.REQUEUE, ControlAction.RESUME, ControlAction.SUSPEND);
        assertThat(orders).extracting(o -> o.target().key())
                .containsExactly("all:", "queue-id:4Xy7Zq", "queue-id:all", "all:", "site:gmail", "destination:example.net");
        assertThat(orders.get(2).target().kind()).as("only ALL in capitals means every message, as in Postfix")
                .isEqualTo(TargetKind.QUEUE_ID);
        assertThat(orders).allMatch(o -> o.expiresAt().equals(now.plus(Duration.ofHours(2))) && o.reason().equals("maintenance"));
    }

    @Test
    void writesToTheControlTopicWhereReadersFindThem() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        String prefix = TestKafka.uniquePrefix("postsuper");
        Topics topics = new Topics(prefix);
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("postsuper-test"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.control(), 1, (short) 1, Map.of("cleanup.policy", "compact"))));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CommandLine cl = Main.commandLine();
        PostsuperCommand sub = (PostsuperCommand) cl.getSubcommands().get("postsuper").getCommand();
        sub.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int exit = cl.execute("postsuper", "-h", "Q1", "--suspend-site", "gmail",
                "--bootstrap-servers", bootstrap, "--set", "kafka.topic.prefix=" + prefix);
        assertThat(exit).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("postsuper: hold queue-id:Q1", "postsuper: suspend site:gmail");

        try (ControlReader reader = new ControlReader(KafkaSettings.of(bootstrap, 1 << 20), topics, "test").start()) {
            assertThat(reader.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.state().size() == 2);
            assertThat(reader.state().standing(ControlTarget.queueId("Q1"))).map(ControlOrder::action).contains(ControlAction.HOLD);
            assertThat(reader.state().standing(ControlTarget.site("gmail"))).map(ControlOrder::action).contains(ControlAction.SUSPEND);
        }
    }

    @Test
    void withoutAClusterItSaysSo() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(cl.execute("postsuper", "-h", "Q1")).isEqualTo(78);
        assertThat(cl.execute("postsuper")).as("no action").isEqualTo(78);
    }
}
