package io.postbus.ingress.kafka;

import io.postbus.ingress.server.ConnectionInfo;
import io.postbus.ingress.smtp.Envelope;
import io.postbus.schemas.BodyType;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.Direction;
import io.postbus.schemas.DsnNotify;
import io.postbus.schemas.DsnReturn;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.TlsInfo;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Protocol envelope → Avro contract. Kept apart so the SMTP core never sees generated classes. */
final class ReceivedMailMapper {
    private ReceivedMailMapper() {}

    static ReceivedMail toAvro(Envelope.Accepted m, ConnectionInfo c, String node, Instant receivedAt) {
        Envelope.Sender s = m.sender();
        MailFrom from = MailFrom.newBuilder()
                .setAddress(s.address())
                .setSize(s.declaredSize())
                .setBody(switch (s.body()) {
                    case SEVEN_BIT -> BodyType.SEVEN_BIT;
                    case EIGHT_BIT_MIME -> BodyType.EIGHT_BIT_MIME;
                    case BINARY_MIME -> BodyType.BINARY_MIME;
                })
                .setSmtpUtf8(s.smtpUtf8())
                .setRet(s.ret() == null ? null : DsnReturn.valueOf(s.ret().name()))
                .setEnvelopeId(s.envelopeId())
                .setAuthParam(s.authParam())
                .setRequireTls(s.requireTls())
                .build();
        var recipients = m.recipients().stream().map(r -> Recipient.newBuilder()
                .setAddress(r.address())
                .setNotify(r.notifyOn().stream().sorted().map(n -> DsnNotify.valueOf(n.name())).toList())
                .setOriginalRecipient(r.originalRecipient())
                .build()).toList();
        var envelope = io.postbus.schemas.Envelope.newBuilder()
                .setQueueId(m.queueId())
                .setReceivedAt(receivedAt)
                .setIngressNode(node)
                .setListener(Listener.valueOf(c.listener().name()))
                .setDirection(m.originating() ? Direction.ORIGINATING : Direction.INBOUND)
                .setClient(ClientInfo.newBuilder()
                        .setAddress(c.client().getAddress().getHostAddress())
                        .setPort(c.client().getPort())
                        .setReverseName(c.clientName())
                        .setHelo(m.helo())
                        .setProtocol(m.protocol())
                        .build())
                .setTls(c.tlsProtocol() == null ? null
                        : TlsInfo.newBuilder().setProtocol(c.tlsProtocol()).setCipher(c.tlsCipher()).build())
                .setAuthenticatedUser(c.authenticatedUser())
                .setMailFrom(from)
                .setRecipients(recipients)
                .build();
        return ReceivedMail.newBuilder().setEnvelope(envelope).setMessage(ByteBuffer.wrap(m.message())).build();
    }
}
