package io.postbus.delivery.worker;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.Topics;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.Stage;
import io.postbus.schemas.Transport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The TLS facts of an attempt reach the lifecycle events: version, cipher, peer subject, policy and verdict. */
class OutcomeEventsTlsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final OutcomeEvents events = new OutcomeEvents(new Events(new Topics("tls-test"), Stage.DELIVERY, "node-1", CLOCK),
            BounceClassifier.builtIn());

    private static final String DETAIL = "TLS policy verify (MTA-STS enforce, fetched policy id 1); "
            + "TLSv1.3 TLS_AES_128_GCM_SHA256, peer CN=mx2.example.net verified";
    private static final DeliveryReport REPORT = new DeliveryReport(List.of(), "mx2.example.net", "192.0.2.2",
            "TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=mx2.example.net", DETAIL, 12, "198.51.100.7", "mta1.example.org");

    @Test
    void aDeliveryCarriesTheTlsFactsAndThePolicy() {
        LifecycleEvent e = Events.codec().decode(events.delivered(job(), List.of("bob@example.net"),
                new RemoteReply(250, "2.0.0", "queued"), REPORT).value());
        assertThat(e.getTls().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(e.getTls().getCipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(e.getTls().getPeerCertificate()).isEqualTo("CN=mx2.example.net");
        assertThat(e.getDetail()).isEqualTo(DETAIL);
        // Which of our addresses and names the message left with: what the receiver's logs show.
        assertThat(e.getLocalAddress()).isEqualTo("198.51.100.7");
        assertThat(e.getHeloName()).isEqualTo("mta1.example.org");
    }

    @Test
    void aBounceKeepsItsRuleAndAddsTheTlsDetail() {
        LifecycleEvent e = Events.codec().decode(events.bounced(job(), List.of("bob@example.net"),
                new RemoteReply(550, "5.1.1", "no such user"), REPORT).value());
        assertThat(e.getDetail()).startsWith("bounce class by rule ").endsWith("; " + DETAIL);
    }

    private static DeliveryJob job() {
        Instant t = CLOCK.instant();
        Recipient rcpt = Recipient.newBuilder().setAddress("bob@example.net").build();
        Envelope envelope = Envelope.newBuilder().setQueueId("Q1").setReceivedAt(t).setIngressNode("node-1")
                .setListener(Listener.SMTP).setDirection(Direction.INBOUND)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.7").setPort(40000).setProtocol("ESMTP").build())
                .setMailFrom(MailFrom.newBuilder().setAddress("alice@example.org").build())
                .setRecipients(List.of(rcpt)).build();
        return DeliveryJob.newBuilder().setJobId("Q1/example.net").setEnvelope(envelope).setDestination("example.net")
                .setSite("default").setRoute(Route.newBuilder().setTransport(Transport.SMTP).build())
                .setRecipients(List.of(rcpt)).setAttempt(0).setFirstSeenAt(t).setNotBefore(t)
                .setMessage(ByteBuffer.wrap("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII))).build();
    }
}
