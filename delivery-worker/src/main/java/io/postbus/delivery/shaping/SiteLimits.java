package io.postbus.delivery.shaping;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one site may be sent. Zero means "no limit" (Postfix's convention for its *_limit settings).
 *
 * @param maxConnections        deliveries (hence connections in use) to the site at the same time
 * @param messagesPerConnection messages sent over one connection before it is closed and a new one
 *                              opened (Postfix smtp_connection_reuse_count_limit)
 * @param messagesPerMinute     messages started per minute
 * @param messagesPerHour       messages started per hour
 * @param connectionsPerMinute  new connections opened per minute
 */
public record SiteLimits(int maxConnections, int messagesPerConnection, int messagesPerMinute, int messagesPerHour,
                         int connectionsPerMinute) {

    /**
     * Postbus's defaults when the shaping file says nothing: 20 connections (Postfix
     * default_destination_concurrency_limit), 100 messages per connection, and no rate limits — a
     * rate only means something for a receiver you know.
     */
    public static final SiteLimits DEFAULTS = new SiteLimits(20, 100, 0, 0, 0);

    public SiteLimits {
        for (int v : new int[] {maxConnections, messagesPerConnection, messagesPerMinute, messagesPerHour,
                connectionsPerMinute}) {
            if (v < 0) {
                throw new IllegalArgumentException("limits are 0 (none) or more: " + v);
            }
        }
    }

    /** The message rates that apply, shortest period first. */
    public List<Rate> messageRates() {
        List<Rate> rates = new ArrayList<>();
        if (messagesPerMinute > 0) {
            rates.add(Rate.perMinute(messagesPerMinute));
        }
        if (messagesPerHour > 0) {
            rates.add(Rate.perHour(messagesPerHour));
        }
        return rates;
    }

    public Optional<Rate> connectionRate() {
        return connectionsPerMinute > 0 ? Optional.of(Rate.perMinute(connectionsPerMinute)) : Optional.empty();
    }
}
