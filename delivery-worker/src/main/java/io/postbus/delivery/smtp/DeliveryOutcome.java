package io.postbus.delivery.smtp;

/** What became of one recipient in one delivery attempt. */
public enum DeliveryOutcome {
    /** The server took responsibility (2xx after the final dot, RFC 5321 §4.2.5). */
    DELIVERED,
    /** Try again later: a 4xx, or anything that is neither 2xx nor 5xx. */
    DEFERRED,
    /** The server refused for good: a 5xx. */
    BOUNCED;

    /**
     * The outcome a final reply decides. Codes other than 2xx and 5xx (a 3xx where none belongs)
     * defer: only a clear 5xx justifies a bounce, and only a clear 2xx a delivery.
     */
    public static DeliveryOutcome of(SmtpReply reply) {
        if (reply.isPositive()) {
            return DELIVERED;
        }
        return reply.isPermanent() ? BOUNCED : DEFERRED;
    }

    /** The outcome of a reply that refuses (never DELIVERED): 5xx bounces, anything else defers. */
    public static DeliveryOutcome ofRefusal(SmtpReply reply) {
        return reply.isPermanent() ? BOUNCED : DEFERRED;
    }
}
