package io.postbus.core.control;

/** What a control command names. */
public enum TargetKind {
    QUEUE_ID, ALL, DESTINATION, SITE;

    public boolean namesMessages() {
        return this == QUEUE_ID || this == ALL;
    }
}
