package io.postbus.router.core;

import io.postbus.core.address.SmtpReply;
import java.util.Objects;

/**
 * What routing decided for one final address. {@code original} is always the envelope recipient it
 * came from (as the client gave it), so the worker can keep NOTIFY and ORCPT and a DSN can name it;
 * {@code address} is the address after canonical rewriting and aliasing.
 */
public sealed interface RecipientOutcome {

    String original();

    String address();

    /** Goes to a delivery job. */
    record Routed(String original, String address, DeliveryRoute route) implements RecipientOutcome {
        public Routed {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(route, "route");
        }
    }

    /**
     * Fails for good at routing: the worker records a Bounce event, and a DSN generator hooks in there.
     * The reply carries the RFC 3463 status and Postfix's text, e.g. 5.4.6 "alias database loop for x".
     */
    record Bounced(String original, String address, SmtpReply reply, BounceCategory category) implements RecipientOutcome {
        public Bounced {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(category, "category");
        }
    }

    /**
     * Cannot be routed now; routed again later.
     *
     * @param rewritten whether {@code address} has been through canonical and virtual alias rewriting
     *     already: then the next attempt starts at its address class. When false, {@code address} is
     *     the original recipient, unexpanded as Postfix's cleanup leaves it, and everything runs again.
     */
    record Deferred(String original, String address, boolean rewritten, SmtpReply reply) implements RecipientOutcome {
        public Deferred {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** Dropped by a discard: transport, reported as delivered (discard(8)). */
    record Discarded(String original, String address, String reason) implements RecipientOutcome {
        public Discarded {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A bounce reply: 550 with the status, as an SMTP server would word it. */
    static SmtpReply permanent(String status, String text) {
        return new SmtpReply(550, status, text);
    }

    /** A deferral reply: 451, a local problem in processing (RFC 5321 §4.2.3). */
    static SmtpReply temporary(String status, String text) {
        return new SmtpReply(451, status, text);
    }
}
