package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mail end to end: swaks → ingress (RCPT checked) → router (local class, alias) → a Maildir on disk. */
class LocalMaildirPipelineTest {
    @TempDir
    Path tmp;

    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void mailForALocalUserAndItsAliasLandsInTheUsersMaildir() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path users = tmp.resolve("users");
        Files.writeString(users, "alice x\n");
        Path aliases = tmp.resolve("aliases");
        Files.writeString(aliases, "sales: alice\n");
        Map<String, String> s = TestPipelines.settings("maildir", 9);
        s.put("relayhost", "");
        s.put("myorigin", "postbus.test");
        s.put("mydestination", "postbus.test");
        s.put("local.recipient.maps", users.toString());
        s.put("alias.maps", aliases.toString());
        s.put("mail.spool.directory", spool.toString());
        PostbusConfig config = PostbusConfig.parse(s);
        pipeline = Pipeline.start(config, Component.all(), Clock.systemUTC(), null);
        int port = pipeline.smtpPorts().get(ListenerKind.SMTP);

        Path data = tmp.resolve("m.eml");
        Files.writeString(data, "From: bob@example.net\r\nTo: sales@postbus.test\r\nSubject: to the team\r\n\r\nhello team\r\n");
        String queueId = Swaks.queueId(Swaks.send(port, "bob@example.net", "sales@postbus.test", data));

        Path inbox = spool.resolve("alice").resolve("new");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(inbox) && count(inbox) == 1);
        Path file;
        try (Stream<Path> files = Files.list(inbox)) {
            file = files.findFirst().orElseThrow();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).startsWith("Return-Path: <bob@example.net>\r\nDelivered-To: alice@postbus.test\r\n")
                .contains("Subject: to the team", "hello team");
        assertThat(file.getFileName().toString()).endsWith(",S=" + Files.size(file));
        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<EventType> types = EventLog.typesOf(log.until(EventLog.has(queueId, EventType.DELIVERY), Duration.ofSeconds(30)), queueId);
            assertThat(types).containsSubsequence(EventType.RECEPTION, EventType.ROUTED, EventType.DELIVERY);
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
