package io.postbus.router.core;

import java.util.List;
import java.util.Objects;

/**
 * One delivery job's worth of recipients: all of a message's recipients that go the same way.
 *
 * @param name       what the delivery worker connects to: the recipient domain, or the next hop
 * @param site       throttling group; its delivery topic is {@code mail.deliver.<site>}
 * @param nextHop    Postfix next-hop syntax ({@code [host]:port}); null = MX lookup of {@code name}
 * @param recipients recipient addresses, in the order the client gave them
 */
public record Destination(String name, String site, Transport transport, String nextHop, List<String> recipients) {
    public Destination {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(site, "site");
        recipients = List.copyOf(recipients);
    }
}
