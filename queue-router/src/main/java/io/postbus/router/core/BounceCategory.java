package io.postbus.router.core;

/**
 * Why the router bounced a recipient, in the words of the Bounce event's class (the names match the
 * Avro BounceClass so the worker maps one to the other by name). The router knows the reason when it
 * bounces, so the category is set where the bounce is born, not parsed back out of a status code.
 */
public enum BounceCategory {
    /** No such user or mailbox (X.1.1): unknown local user, not in a virtual table. */
    BAD_MAILBOX,
    /** The destination domain does not accept mail (X.1.2). */
    BAD_DOMAIN,
    /** Refused by policy (X.7.X): mail to commands and files. */
    POLICY,
    /** An alias loop (X.4.6). */
    ROUTING_LOOP,
    /** Anything else, e.g. an error: transport entry with its own text. */
    OTHER;

    /** The category an error(8) status implies, for transport table entries that give one. */
    static BounceCategory ofStatus(String status) {
        String detail = status.substring(status.indexOf('.') + 1);
        switch (detail) {
            case "1.0":
            case "1.1":
            case "1.6":
                return BAD_MAILBOX;
            case "1.2":
            case "1.10":
                return BAD_DOMAIN;
            case "4.6":
                return ROUTING_LOOP;
            default:
                return detail.startsWith("7.") ? POLICY : OTHER;
        }
    }
}
