package io.postbus.router.core;

import java.util.List;
import java.util.Objects;

/**
 * Everything routing decided for one message: the jobs to write and the recipients that end here.
 * A final address appears at most once among the routed recipients (qmgr drops duplicate
 * recipients) and at most once among each of the bounced, deferred and discarded.
 *
 * @param sender the envelope sender after sender_canonical_maps and canonical_maps; empty for {@code <>}
 */
public record RoutingPlan(String sender, List<Destination> destinations, List<RecipientOutcome.Bounced> bounced,
                          List<RecipientOutcome.Deferred> deferred, List<RecipientOutcome.Discarded> discarded) {
    public RoutingPlan {
        Objects.requireNonNull(sender, "sender");
        destinations = List.copyOf(destinations);
        bounced = List.copyOf(bounced);
        deferred = List.copyOf(deferred);
        discarded = List.copyOf(discarded);
    }
}
