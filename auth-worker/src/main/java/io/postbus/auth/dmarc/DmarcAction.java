package io.postbus.auth.dmarc;

/** What the auth worker does with a message after DMARC, chosen by {@link DmarcLocalPolicy}. */
public enum DmarcAction {
    /** Deliver as usual (the verdict still goes into Authentication-Results). */
    ACCEPT,
    /** Deliver, marked as spam for the spam stage and the recipient's junk folder. */
    SPAM_FLAG,
    /** Hold on the quarantine topic for review; nothing is sent to anyone. */
    QUARANTINE,
    /** Drop silently, emitting an event so the drop is visible. No DSN (the sender is likely forged). */
    DISCARD,
    /**
     * Refuse with 550 5.7.1. Only where the verdict is known before the reply to DATA; a stage after
     * the queue must not turn it into a DSN, which would go to the forged sender (backscatter), and
     * treats it as {@link #DISCARD}.
     */
    REJECT
}
