package io.postbus.delivery.worker;

import io.postbus.core.bounce.BounceClassification;
import io.postbus.core.events.Events;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.schemas.BounceClass;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.TlsInfo;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Lifecycle events for delivery outcomes, with the remote side's facts attached. */
final class OutcomeEvents {
    private final Events events;
    private final BounceClassifier classifier;

    OutcomeEvents(Events events, BounceClassifier classifier) {
        this.events = events;
        this.classifier = classifier;
    }

    ProducerRecord<byte[], byte[]> delivered(DeliveryJob job, List<String> rcpts, RemoteReply reply, DeliveryReport report) {
        return events.record(base(EventType.DELIVERY, job, rcpts, reply, report).build());
    }

    ProducerRecord<byte[], byte[]> bounced(DeliveryJob job, List<String> rcpts, RemoteReply reply, DeliveryReport report) {
        BounceClassification c = classifier.classify(reply);
        // Same names on both sides: the core enum mirrors the contract's BounceClass.
        return events.record(base(EventType.BOUNCE, job, rcpts, reply, report)
                .setBounceClass(BounceClass.valueOf(c.bounceClass().name()))
                .setDetail(join(c.rule().map(r -> "bounce class by rule " + r.origin()).orElse(null), report.tlsDetail()))
                .build());
    }

    ProducerRecord<byte[], byte[]> deferred(DeliveryJob job, List<String> rcpts, RemoteReply reply, DeliveryReport report,
                                            String retryTopic, Instant next, String detail) {
        return events.record(base(EventType.TRANSIENT_FAILURE, job, rcpts, reply, report)
                .setTopic(retryTopic).setNextAttemptAt(next).setDetail(detail).build());
    }

    /** Past maximal_queue_lifetime: the job ends here (the worker adds the failure report to the sender). */
    ProducerRecord<byte[], byte[]> expired(DeliveryJob job) {
        List<String> rcpts = job.getRecipients().stream().map(Recipient::getAddress).toList();
        var last = job.getLastError();
        return events.record(events.event(EventType.EXPIRATION, job.getEnvelope().getQueueId())
                .setSender(job.getEnvelope().getMailFrom().getAddress())
                .setRecipients(rcpts)
                .setDestination(job.getDestination())
                .setSite(job.getSite())
                .setAttempt(job.getAttempt())
                .setReply(last == null ? null : last.getReply())
                .setDetail(last == null ? "expired" : "expired; last error: " + last.getDetail())
                .build());
    }

    private LifecycleEvent.Builder base(EventType type, DeliveryJob job, List<String> rcpts, RemoteReply reply,
                                        DeliveryReport report) {
        return events.event(type, job.getEnvelope().getQueueId())
                .setSender(job.getEnvelope().getMailFrom().getAddress())
                .setRecipients(rcpts)
                .setSize((long) job.getMessage().remaining())
                .setDestination(job.getDestination())
                .setSite(job.getSite())
                .setAttempt(job.getAttempt() + 1)
                .setRemoteHost(report.remoteHost())
                .setRemoteAddress(report.remoteAddress())
                .setReply(reply == null ? null : DeliveryJobs.avro(reply))
                .setTls(report.tlsProtocol() == null ? null
                        : TlsInfo.newBuilder().setProtocol(report.tlsProtocol()).setCipher(report.tlsCipher())
                                .setPeerCertificate(report.tlsPeer()).build())
                // The policy that applied, the certificate check and MTA-STS notes: the contract's
                // TlsInfo has no fields for them, so they go in the free-text detail.
                .setDetail(report.tlsDetail())
                .setLocalAddress(report.localAddress())
                .setHeloName(report.heloName())
                .setDurationMillis(report.durationMillis());
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }
}
