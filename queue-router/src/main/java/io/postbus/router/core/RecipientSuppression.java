package io.postbus.router.core;

import io.postbus.core.address.SmtpReply;
import io.postbus.core.suppression.Suppression;
import io.postbus.core.suppression.SuppressionAction;
import io.postbus.core.suppression.SuppressionList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes suppressed addresses out of a routing plan. The final address (after canonical rewriting
 * and aliasing) is what is checked, since that is what a receiver refused; deferred recipients are
 * checked when they are routed again.
 */
public final class RecipientSuppression {
    /** Nothing is ever suppressed. */
    public static final RecipientSuppression NONE = new RecipientSuppression(new SuppressionList(), SuppressionAction.DROP);

    private final SuppressionList list;
    private final SuppressionAction action;

    public RecipientSuppression(SuppressionList list, SuppressionAction action) {
        this.list = Objects.requireNonNull(list, "list");
        this.action = Objects.requireNonNull(action, "action");
    }

    /** A recipient left out for a live entry (action DROP). */
    public record Dropped(String original, String address, Suppression entry) {
        public Dropped {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** The plan without the suppressed recipients, and those dropped (empty when they bounce instead). */
    public record Result(RoutingPlan plan, List<Dropped> dropped) {
        public Result {
            Objects.requireNonNull(plan, "plan");
            dropped = List.copyOf(dropped);
        }
    }

    public Result apply(RoutingPlan plan, Instant now) {
        List<Destination> destinations = new ArrayList<>();
        List<RecipientOutcome.Bounced> bounced = new ArrayList<>(plan.bounced());
        List<Dropped> dropped = new ArrayList<>();
        for (Destination d : plan.destinations()) {
            List<Destination.RoutedRecipient> keep = new ArrayList<>();
            for (Destination.RoutedRecipient r : d.recipients()) {
                Optional<Suppression> hit = list.find(r.address(), now);
                if (hit.isEmpty()) {
                    keep.add(r);
                } else if (action == SuppressionAction.DROP) {
                    dropped.add(new Dropped(r.original(), r.address(), hit.get()));
                } else {
                    bounced.add(new RecipientOutcome.Bounced(r.original(), r.address(), reply(hit.get()), BounceCategory.POLICY));
                }
            }
            if (keep.size() == d.recipients().size()) {
                destinations.add(d);
            } else if (!keep.isEmpty()) {
                destinations.add(new Destination(d.name(), d.site(), d.transport(), d.nextHop(), keep));
            }
        }
        if (dropped.isEmpty() && bounced.size() == plan.bounced().size()) {
            return new Result(plan, List.of());
        }
        return new Result(new RoutingPlan(plan.sender(), destinations, bounced, plan.deferred(), plan.discarded()), dropped);
    }

    /**
     * 550 5.7.1: RFC 3463 X.7.1 "delivery not authorized, message refused" is our own policy refusing
     * the message. X.1.1 would claim the mailbox does not exist, which we do not know now (the entry
     * may be a complaint, an unsubscribe or an operator's), and a sender's list software would act on it.
     */
    static SmtpReply reply(Suppression s) {
        String why = switch (s.reason()) {
            case HARD_BOUNCE -> "an earlier permanent failure";
            case COMPLAINT -> "a complaint";
            case UNSUBSCRIBE -> "an unsubscribe request";
            case MANUAL -> "the postmaster";
            default -> "an unknown reason";
        };
        return RecipientOutcome.permanent("5.7.1", "recipient suppressed: <" + s.address() + "> is on the suppression list ("
                + why + ", since " + s.at() + ")");
    }
}
