package io.postbus.router.worker;

import io.postbus.core.events.Events;
import io.postbus.router.core.RecipientSuppression;
import io.postbus.schemas.EventType;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A Suppressed event per recipient the router left out because of the suppression list. */
final class SuppressedEvents {
    private SuppressedEvents() {}

    static List<ProducerRecord<byte[], byte[]>> of(Events events, String queueId, String sender,
                                                   List<RecipientSuppression.Dropped> dropped) {
        return dropped.stream().map(d -> events.record(events.event(EventType.SUPPRESSED, queueId)
                .setSender(sender)
                .setRecipients(List.of(d.address()))
                .setDetail((d.address().equals(d.original()) ? "" : "original recipient <" + d.original() + ">: ")
                        + "on the suppression list (" + d.entry().reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " at " + d.entry().at()
                        + (d.entry().expiresAt() == null ? "" : ", until " + d.entry().expiresAt())
                        + (d.entry().detail() == null ? "" : ": " + d.entry().detail()) + ")")
                .build())).toList();
    }
}
