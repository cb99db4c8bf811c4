package io.postbus.delivery.core;

/**
 * A first classification of permanent failures from the RFC 3463 status code, for the Bounce
 * event (the queue-router issue brings user-extensible rules matched on reply text as well).
 */
public final class BounceClassifier {
    private BounceClassifier() {}

    public enum BounceKind { BAD_MAILBOX, BAD_DOMAIN, MAILBOX_FULL, POLICY, SPAM_BLOCK, REPUTATION, MESSAGE_TOO_BIG, ROUTING_LOOP, OTHER }

    public static BounceKind classify(RemoteReply reply) {
        String s = reply.enhancedStatus();
        if (s == null) {
            return BounceKind.OTHER;
        }
        String detail = s.length() > 2 ? s.substring(2) : s;
        return switch (detail) {
            case "1.1", "1.6", "1.3" -> BounceKind.BAD_MAILBOX;
            case "1.2", "1.10", "4.4" -> BounceKind.BAD_DOMAIN;
            case "2.2" -> BounceKind.MAILBOX_FULL;
            case "2.3", "3.4" -> BounceKind.MESSAGE_TOO_BIG;
            case "4.6" -> BounceKind.ROUTING_LOOP;
            case "7.1" -> reply.text().toLowerCase(java.util.Locale.ROOT).contains("spam") ? BounceKind.SPAM_BLOCK : BounceKind.POLICY;
            case "7.26", "7.27", "7.23", "7.25" -> BounceKind.REPUTATION;
            default -> detail.startsWith("7.") ? BounceKind.POLICY : BounceKind.OTHER;
        };
    }
}
