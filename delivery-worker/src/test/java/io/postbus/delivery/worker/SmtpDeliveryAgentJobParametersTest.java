package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.smtp.ScriptedServer;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.TlsPolicy;
import io.postbus.schemas.BodyType;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.DsnNotify;
import io.postbus.schemas.DsnReturn;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A delivery job's envelope parameters reach the wire: its declared body type (RFC 3030 §3 BINARYMIME
 * goes by BDAT) and its RFC 3461 parameters, from the Avro job through DeliveryJobs and the agent.
 */
class SmtpDeliveryAgentJobParametersTest {
    private static final SmtpClientConfig CLIENT = SmtpClientConfig.defaults("worker.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5))).withTlsPolicy(TlsPolicy.NONE);
    /** Bare CR and LF, a NUL and a lone dot line: only BDAT can carry these unchanged. */
    private static final byte[] BINARY = ("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "bare\rCR bare\nLF \0NUL\r\n.\r\n\u00ff end").getBytes(StandardCharsets.ISO_8859_1);

    private static SmtpDeliveryAgent agent() {
        return new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT, OutboundAuth.none(), null, Duration.ZERO);
    }

    private static DeliveryJob job(ScriptedServer server, MailFrom from, Recipient rcpt, byte[] message) {
        DeliveryJob base = SinkJobs.job("4Q1B2C3D4E", rcpt.getAddress(), "default", Instant.now(), server.address().getPort(), "t");
        return DeliveryJob.newBuilder(base)
                .setEnvelope(io.postbus.schemas.Envelope.newBuilder(base.getEnvelope()).setMailFrom(from)
                        .setRecipients(List.of(rcpt)).build())
                .setRecipients(List.of(rcpt))
                .setMessage(ByteBuffer.wrap(message))
                .build();
    }

    @Test
    void aBinaryMimeJobGoesByBdatWithBodyBinaryMime() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO worker.postbus.test");
            peer.send("250-mx.test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 BINARYMIME\r\n");
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<alice@example.org> BODY=BINARYMIME");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<bob@example.net>");
            received.set(peer.readChunk(true));
            peer.send("250 ok\r\n250 ok\r\n250 2.0.0 queued\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        }); SmtpDeliveryAgent agent = agent()) {
            MailFrom from = MailFrom.newBuilder().setAddress("alice@example.org").setBody(BodyType.BINARY_MIME).build();
            DeliveryRequest request = DeliveryJobs.toRequest(job(server, from,
                    Recipient.newBuilder().setAddress("bob@example.net").build(), BINARY));
            assertThat(request.body()).isEqualTo(DeliveryRequest.BodyType.BINARY_MIME);
            DeliveryReport report = agent.deliver(request);
            assertThat(server.errors()).isEmpty();
            assertThat(report.results()).extracting(DeliveryReport.RecipientResult::outcome)
                    .containsExactly(DeliveryReport.Outcome.DELIVERED);
            assertThat(received.get()).isEqualTo(BINARY);
        }
    }

    @Test
    void theJobsDsnParametersGoOnAndTheReportSaysSo() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO worker.postbus.test");
            peer.send("250-mx.test\r\n250-8BITMIME\r\n250 DSN\r\n");
            // The ingress stored ENVID and ORCPT decoded; they are xtext-encoded once on the way out (RFC 3461 §4).
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<alice@example.org> BODY=8BITMIME RET=HDRS ENVID=id+2B1");
            peer.send("250 ok\r\n");
            assertThat(peer.readLine())
                    .isEqualTo("RCPT TO:<bob@example.net> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;bob+2Bx@example.net");
            peer.send("250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        }); SmtpDeliveryAgent agent = agent()) {
            MailFrom from = MailFrom.newBuilder().setAddress("alice@example.org").setBody(BodyType.EIGHT_BIT_MIME)
                    .setRet(DsnReturn.HDRS).setEnvelopeId("id+1").build();
            Recipient rcpt = Recipient.newBuilder().setAddress("bob@example.net")
                    .setNotify(List.of(DsnNotify.SUCCESS, DsnNotify.DELAY)).setOriginalRecipient("rfc822;bob+x@example.net").build();
            DeliveryReport report = agent.deliver(DeliveryJobs.toRequest(job(server, from, rcpt,
                    "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII))));
            assertThat(server.errors()).isEmpty();
            assertThat(report.results()).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
                assertThat(r.dsnPassedOn()).isTrue();
            });
        }
    }
}
