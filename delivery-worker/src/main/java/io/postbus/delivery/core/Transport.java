package io.postbus.delivery.core;

/** How a job's recipients are reached: the route's transport, as the queue router chose it. */
public enum Transport {
    /** RFC 5321 to the MX hosts of the destination or to the route's next hop. */
    SMTP,
    /** RFC 2033 to a mailbox server named by the next hop. */
    LMTP,
    /** Written into the Maildir named by the next hop, by this process. */
    MAILDIR
}
