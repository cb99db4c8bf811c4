package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.core.DeliveryAgent;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LMTP (RFC 2033) through the worker's standard agents to a real Dovecot started by the test: one
 * transaction for two mailboxes and an unknown user, and one reply per recipient (§4.2).
 */
class DovecotLmtpInteropTest {
    // A line starting with a dot checks the dot-stuffing (RFC 5321 §4.5.2) end to end.
    private static final byte[] MESSAGE = ("From: Alice <alice@example.org>\r\nTo: team@example.net\r\n"
            + "Subject: Lunch at noon\r\nMessage-ID: <lmtp-interop@example.org>\r\n\r\nShall we?\r\n"
            + ".signed, Alice\r\n..and a second dot\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void twoMailboxesGetTheMessageAndTheUnknownUserIsRefusedWith511() throws Exception {
        try (DovecotLmtp dovecot = DovecotLmtp.start(dir, List.of("bob@example.net", "carol@example.net"))) {
            DeliveryAgent agent = DeliveryAgents.standard(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                    new DeliverySettings("mx.postbus.test", false, Duration.ofSeconds(10), Duration.ofSeconds(10)),
                    Clock.systemUTC());
            DeliveryReport report = agent.deliver(new DeliveryRequest(Transport.LMTP, "lmtp:" + dovecot.nextHop(),
                    dovecot.nextHop(), "alice@example.org", List.of(rcpt("bob@example.net"), rcpt("nobody@example.net"),
                    rcpt("carol@example.net")), MESSAGE, false, false, null, null));

            assertThat(report.results()).as(dovecot.log())
                    .extracting(DeliveryReport.RecipientResult::recipient, DeliveryReport.RecipientResult::outcome)
                    .containsExactly(tuple("bob@example.net", DeliveryReport.Outcome.DELIVERED),
                            tuple("nobody@example.net", DeliveryReport.Outcome.BOUNCED),
                            tuple("carol@example.net", DeliveryReport.Outcome.DELIVERED));
            var refused = report.results().get(1).reply();
            assertThat(refused.code()).isEqualTo(550);
            assertThat(refused.enhancedStatus()).isEqualTo("5.1.1");
            assertThat(refused.text()).contains("User doesn't exist: nobody@example.net");
            assertThat(report.results().get(0).reply().code()).isEqualTo(250);
            assertThat(report.remoteAddress()).isEqualTo("127.0.0.1");

            for (String user : List.of("bob@example.net", "carol@example.net")) {
                List<Path> files = dovecot.newMail(user);
                assertThat(files).as(user).hasSize(1);
                byte[] stored = Files.readAllBytes(files.get(0));
                // What Dovecot adds goes in front; everything we sent follows unchanged, dots un-stuffed.
                assertThat(Arrays.copyOfRange(stored, stored.length - MESSAGE.length, stored.length)).isEqualTo(MESSAGE);
                String added = new String(stored, 0, stored.length - MESSAGE.length, StandardCharsets.US_ASCII);
                assertThat(added).startsWith("Return-Path: <alice@example.org>\r\n").contains("with LMTP");
                assertThat(added.split("\r\n(?![ \t])")).as("only trace header fields are added")
                        .allMatch(field -> field.matches("(?s)(Return-Path|Received|Delivered-To): .*"));
            }
            assertThat(dovecot.newMail("nobody@example.net")).isEmpty();
        }
    }

    private static DeliveryRequest.Recipient rcpt(String address) {
        return new DeliveryRequest.Recipient(address, null, null);
    }
}
