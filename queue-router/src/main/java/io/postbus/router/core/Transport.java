package io.postbus.router.core;

/** How a destination is reached (Postfix master.cf transports). */
public enum Transport {
    /** SMTP to the destination's MX hosts, or to an explicit next hop. */
    SMTP,
    /** LMTP to a mailbox server (RFC 2033). */
    LMTP,
    /** Local Maildir delivery. */
    MAILDIR
}
