package io.postbus.loadtest.jmh;

import io.postbus.loadtest.auth.SampleMail;
import io.postbus.schemas.BodyType;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.SmtpReply;
import io.postbus.schemas.Stage;
import io.postbus.schemas.Transport;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * The Avro records one newsletter message becomes on its way through the pipeline, filled as the
 * stages fill them: the ingress's ReceivedMail (envelope + the message), the router's DeliveryJob
 * for one destination, and the delivery worker's DELIVERY event.
 */
final class PipelineRecords {
    static final String SENDER = "newsletter@news.example";
    static final String RECIPIENT = "reader@d7.example";
    static final String QUEUE_ID = "4bX9yZ1kQzz7Wq1";
    private static final Instant AT = Instant.parse("2026-11-21T12:00:00Z");

    private PipelineRecords() {}

    static ReceivedMail receivedMail(int bodySize) {
        return ReceivedMail.newBuilder().setEnvelope(envelope(bodySize)).setMessage(ByteBuffer.wrap(message(bodySize))).build();
    }

    static DeliveryJob deliveryJob(int bodySize) {
        Envelope envelope = envelope(bodySize);
        String domain = RECIPIENT.substring(RECIPIENT.indexOf('@') + 1);
        return DeliveryJob.newBuilder()
                .setJobId(QUEUE_ID + "/" + domain).setEnvelope(envelope).setDestination(domain).setSite("default")
                .setRoute(Route.newBuilder().setTransport(Transport.SMTP).setNextHop(null).build())
                .setRecipients(envelope.getRecipients()).setAttempt(0)
                .setFirstSeenAt(AT).setNotBefore(AT)
                .setMessage(ByteBuffer.wrap(message(bodySize)))
                .build();
    }

    static LifecycleEvent deliveryEvent() {
        return LifecycleEvent.newBuilder()
                .setEventId("0f8fad5b-d9cb-469f-a165-70867728950e").setQueueId(QUEUE_ID).setType(EventType.DELIVERY).setAt(AT)
                .setStage(Stage.DELIVERY).setNode("node-1").setSender(SENDER).setRecipients(List.of(RECIPIENT)).setSize(5300L)
                .setDestination("d7.example").setSite("default").setAttempt(1).setRemoteHost("mx1.d7.example")
                .setRemoteAddress("192.0.2.25")
                .setReply(SmtpReply.newBuilder().setCode(250).setEnhancedStatus("2.0.0").setText("Ok: queued as 3F2A1B").build())
                .setDurationMillis(12L)
                .build();
    }

    private static Envelope envelope(int bodySize) {
        return Envelope.newBuilder()
                .setQueueId(QUEUE_ID).setReceivedAt(AT).setIngressNode("node-1")
                .setListener(Listener.SUBMISSION).setDirection(Direction.ORIGINATING)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.10").setPort(50123).setHelo("app.news.example")
                        .setProtocol("ESMTPSA").build())
                .setAuthenticatedUser("newsletter")
                .setMailFrom(MailFrom.newBuilder().setAddress(SENDER).setSize((long) bodySize + 300).setBody(BodyType.EIGHT_BIT_MIME)
                        .build())
                .setRecipients(List.of(Recipient.newBuilder().setAddress(RECIPIENT).build()))
                .build();
    }

    private static byte[] message(int bodySize) {
        return new SampleMail(SENDER, RECIPIENT, bodySize).message(1);
    }
}
