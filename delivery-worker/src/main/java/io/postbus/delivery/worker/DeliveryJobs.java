package io.postbus.delivery.worker;

import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.shaping.ShapingGroup;
import io.postbus.schemas.BodyType;
import io.postbus.schemas.DeliveryFailure;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.SmtpReply;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Avro delivery jobs ↔ the delivery core's plain values. */
final class DeliveryJobs {
    private DeliveryJobs() {}

    static DeliveryRequest toRequest(DeliveryJob job) {
        var from = job.getEnvelope().getMailFrom();
        List<DeliveryRequest.Recipient> rcpts = job.getRecipients().stream()
                .map(r -> new DeliveryRequest.Recipient(r.getAddress(),
                        r.getNotify().isEmpty() ? null : r.getNotify().stream().map(Enum::name).collect(Collectors.joining(",")),
                        r.getOriginalRecipient()))
                .toList();
        ByteBuffer b = job.getMessage().duplicate();
        byte[] message = new byte[b.remaining()];
        b.get(message);
        return new DeliveryRequest(transport(job.getRoute().getTransport()), job.getDestination(), job.getRoute().getNextHop(), from.getAddress(), rcpts, message,
                from.getBody() != BodyType.SEVEN_BIT || hasEightBit(message), from.getSmtpUtf8(), from.getEnvelopeId(),
                from.getRet() == null ? null : from.getRet().name(), ShapingGroup.of(job.getSite(), job.getDestination()),
                body(from.getBody()));
    }

    static DeliveryRequest.BodyType body(BodyType body) {
        return switch (body) {
            case SEVEN_BIT -> DeliveryRequest.BodyType.SEVEN_BIT;
            case EIGHT_BIT_MIME -> DeliveryRequest.BodyType.EIGHT_BIT_MIME;
            case BINARY_MIME -> DeliveryRequest.BodyType.BINARY_MIME;
        };
    }

    /**
     * UNKNOWN is the schema's default, what a job written before routes had transports reads as:
     * every such job was an SMTP job.
     */
    static Transport transport(io.postbus.schemas.Transport t) {
        return switch (t) {
            case LMTP -> Transport.LMTP;
            case MAILDIR -> Transport.MAILDIR;
            case SMTP, UNKNOWN -> Transport.SMTP;
        };
    }

    /** The same job for the recipients still pending, one attempt further on. */
    static DeliveryJob retry(DeliveryJob job, List<String> pending, Instant notBefore, RemoteReply reply,
                             DeliveryReport report, Instant now) {
        Set<String> wanted = new HashSet<>(pending);
        List<Recipient> rcpts = job.getRecipients().stream().filter(r -> wanted.contains(r.getAddress())).toList();
        return DeliveryJob.newBuilder(job)
                .setRecipients(rcpts)
                .setAttempt(job.getAttempt() + 1)
                .setNotBefore(notBefore)
                .setLastError(DeliveryFailure.newBuilder()
                        .setAt(now)
                        .setReply(reply == null ? null : avro(reply))
                        .setRemoteHost(report.remoteHost())
                        .setDetail(reply == null ? "deferred" : reply.toString())
                        .build())
                .build();
    }

    static SmtpReply avro(RemoteReply r) {
        return SmtpReply.newBuilder().setCode(r.code()).setEnhancedStatus(r.enhancedStatus()).setText(r.text()).build();
    }

    private static boolean hasEightBit(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
