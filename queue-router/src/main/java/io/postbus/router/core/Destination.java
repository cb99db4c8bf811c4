package io.postbus.router.core;

import java.util.List;
import java.util.Objects;

/**
 * One delivery job's worth of recipients: all of a message's recipients that go the same way.
 *
 * @param name       what the delivery worker connects to: the recipient domain, or the next hop
 *                   (see {@link DeliveryRoute#destination()})
 * @param site       throttling group (the job's record key) and, through it, the delivery topic
 * @param nextHop    Postfix next-hop syntax ({@code [host]:port}); null = MX lookup of {@code name};
 *                   for MAILDIR the directory
 * @param recipients final addresses, each with the envelope recipient it came from, in routing order
 */
public record Destination(String name, Site site, Transport transport, String nextHop, List<RoutedRecipient> recipients) {
    public Destination {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(transport, "transport");
        recipients = List.copyOf(recipients);
    }

    /** A final address and the envelope recipient (as the client gave it) that led to it. */
    public record RoutedRecipient(String address, String original) {
        public RoutedRecipient {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(original, "original");
        }

        public boolean rewritten() {
            return !address.equals(original);
        }
    }

    public List<String> addresses() {
        return recipients.stream().map(RoutedRecipient::address).toList();
    }
}
