package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.testkit.PostfixSmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery to a real peer: Postfix's smtp-sink, which dumps what it received. */
class PostfixPeerTest {
    @TempDir
    Path tmp;

    @Test
    void deliversToPostfixSmtpSink() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(tmp)) {
            PostbusConfig config = PostbusConfig.parse(TestPipelines.settings("peer", sink.address().getPort()));
            try (Pipeline p = Pipeline.start(config, Component.all(), Clock.systemUTC(), null)) {
                String id = Swaks.queueId(Swaks.send(p.smtpPorts().get(ListenerKind.SMTP), "alice@example.net",
                        "bob@example.com", null, "--header", "Subject: to a real peer"));

                PostfixSmtpSink.Dump dump = sink.awaitDumps(1, Duration.ofSeconds(60)).get(0);
                String text = new String(dump.message(), StandardCharsets.UTF_8);
                assertThat(text).contains("by postbus.test (Postbus) with ESMTP id " + id).contains("Subject: to a real peer");
                assertThat(String.join("\n", dump.headers())).contains("bob@example.com");
            }
        }
    }
}
