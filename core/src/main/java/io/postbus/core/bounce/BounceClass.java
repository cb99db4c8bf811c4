package io.postbus.core.bounce;

/**
 * Why a remote server refused a message for good, in the classes reports and suppression lists
 * act on. The names are those of the {@code BounceClass} enum of the LifecycleEvent contract, so a
 * worker maps one to the other by name.
 */
public enum BounceClass {
    /** The mailbox does not exist, is disabled or has moved (RFC 3463 X.1.1, X.1.6, X.2.1). */
    BAD_MAILBOX,
    /** The domain does not exist, publishes a null MX or cannot be routed (X.1.2, X.1.10, X.4.4). */
    BAD_DOMAIN,
    /** Over quota (X.2.2). */
    MAILBOX_FULL,
    /** Refused by the receiver's rules: relaying, forwarding, content policy (X.7.x not covered below). */
    POLICY,
    /** The sending host is on a block list, or the content was judged to be spam. */
    SPAM_BLOCK,
    /** Poor sender reputation or failed sender authentication (X.7.23, X.7.25, X.7.26). */
    REPUTATION,
    /** Larger than the receiver accepts (X.2.3, X.3.4). */
    MESSAGE_TOO_BIG,
    /** The message went round in circles (X.4.6, hop count exceeded). */
    ROUTING_LOOP,
    /** None of the rules matched. */
    OTHER
}
