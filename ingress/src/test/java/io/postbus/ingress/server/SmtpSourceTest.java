package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.TestKafka;
import io.postbus.testkit.ToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Postfix's own load generator against the ingress: 20 parallel sessions, 5 KB messages. Every
 * message smtp-source saw accepted is in mail.received, and none is there twice. (Throughput is
 * measured in the load test, not here.)
 */
class SmtpSourceTest {
    private static final int SESSIONS = 20;
    private static final int MESSAGES = 1000;

    @Test
    void everyAcceptedMessageIsInKafkaExactlyOnce() throws Exception {
        try (IngressFixture ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("smtp-source"),
                Duration.ofSeconds(10))) {
            ToolResult r = ExternalTool.run(Duration.ofMinutes(5), List.of("smtp-source",
                    "-s", String.valueOf(SESSIONS), "-m", String.valueOf(MESSAGES), "-l", "5120",
                    "-f", "sender@example.net", "-t", "rcpt@example.com", "-M", "client.example",
                    "127.0.0.1:" + ingress.port(ListenerKind.SMTP)));
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stderr()).as("smtp-source reports every refused message").isBlank();

            List<ReceivedMail> stored = ingress.received(Duration.ofSeconds(5));
            Set<String> ids = stored.stream().map(m -> m.getEnvelope().getQueueId()).collect(Collectors.toSet());
            assertThat(stored).hasSize(MESSAGES);
            assertThat(ids).as("no message twice").hasSize(MESSAGES);
            assertThat(stored).allSatisfy(m -> assertThat(m.getMessage().remaining()).isGreaterThan(5000));
        }
    }
}
