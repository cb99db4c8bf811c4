package io.postbus.delivery.worker;

import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Delivery jobs as the router writes them, for the worker tests: one recipient, SMTP to a local port. */
final class SmtpJobs {
    private SmtpJobs() {}

    /** A first attempt, due now, of a short message from alice@example.org to {@code rcpt} via 127.0.0.1:{@code port}. */
    static DeliveryJob due(String queueId, String rcpt, String site, int port, Instant now) {
        byte[] message = ("From: alice@example.org\r\nTo: " + rcpt + "\r\nSubject: test\r\nMessage-ID: <" + queueId
                + "@example.org>\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
        Recipient r = Recipient.newBuilder().setAddress(rcpt).build();
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(queueId).setReceivedAt(now.minusSeconds(5)).setIngressNode("node-1")
                .setListener(Listener.SUBMISSION).setDirection(Direction.ORIGINATING)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.7").setPort(40000).setProtocol("ESMTPSA").build())
                .setMailFrom(MailFrom.newBuilder().setAddress("alice@example.org").build())
                .setRecipients(List.of(r))
                .build();
        String domain = rcpt.substring(rcpt.indexOf('@') + 1);
        return DeliveryJob.newBuilder()
                .setJobId(queueId + "/" + domain).setEnvelope(envelope).setDestination(domain).setSite(site)
                .setRoute(Route.newBuilder().setTransport(Transport.SMTP).setNextHop("[127.0.0.1]:" + port).build())
                .setRecipients(List.of(r)).setAttempt(0)
                .setFirstSeenAt(now.minusSeconds(5)).setNotBefore(now.minusSeconds(1))
                .setMessage(ByteBuffer.wrap(message))
                .build();
    }
}
