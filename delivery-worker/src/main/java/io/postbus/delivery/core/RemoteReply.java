package io.postbus.delivery.core;

/** The reply that decided a recipient's outcome, or a local description when no reply came. */
public record RemoteReply(int code, String enhancedStatus, String text) {
    public boolean isPermanent() {
        return code >= 500;
    }

    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    @Override
    public String toString() {
        return code + (enhancedStatus == null ? "" : " " + enhancedStatus) + " " + text;
    }
}
