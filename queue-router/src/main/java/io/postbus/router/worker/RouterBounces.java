package io.postbus.router.worker;

import io.postbus.router.core.RecipientOutcome;
import io.postbus.schemas.ScoredMail;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The seam for delivery status notifications about recipients that fail at routing (an error:
 * transport, an alias loop, an unknown user, a deferral that outlived maximal.queue.lifetime).
 * The router always records a Bounce or Expiration event; whatever records this returns (a DSN
 * to the sender as a new message, say) are written in the same transaction, with the offset.
 */
@FunctionalInterface
public interface RouterBounces {

    /** No notification beyond the events; what runs until DSN generation is wired in. */
    RouterBounces EVENTS_ONLY = (mail, failed) -> List.of();

    /**
     * @param mail the message as the router received it (envelope, message bytes)
     * @param failed the recipients that failed for good; for an expired deferral the reply is the
     *     last transient one (a DSN reports it with Action: failed, as Postfix does)
     */
    List<ProducerRecord<byte[], byte[]>> notices(ScoredMail mail, List<RecipientOutcome.Bounced> failed);
}
