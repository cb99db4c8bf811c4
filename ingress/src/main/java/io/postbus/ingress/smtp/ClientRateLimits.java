package io.postbus.ingress.smtp;

import io.postbus.ingress.auth.ClientKey;
import java.net.InetAddress;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per-client rates across all sessions on this node, as Postfix's anvil counts them: commands
 * (no Postfix equivalent; a flood guard), messages ({@code smtpd_client_message_rate_limit}) and
 * recipients ({@code smtpd_client_recipient_rate_limit}) per minute. IPv6 clients are counted per
 * /64 ({@link ClientKey}); {@code mynetworks} is exempt, as from the connection limits. One node's
 * view: the load balancer hashes source addresses, so one client's sessions meet on one node.
 * Thread-safe.
 */
public final class ClientRateLimits {
    private static final int TRACKED_CLIENTS = 65_536;

    /** What is counted. */
    public enum Event {
        COMMAND,
        MESSAGE,
        RECIPIENT
    }

    /** Events per client per minute; 0 = no limit. */
    public record Rates(int commandsPerMinute, int messagesPerMinute, int recipientsPerMinute) {
        public static final Rates OFF = new Rates(0, 0, 0);
        /**
         * Postfix's defaults for messages and recipients (off), and a command ceiling no real MTA
         * reaches from one address (RCPT counts too): 10,000 at once, then about 170 a second.
         */
        public static final Rates DEFAULTS = new Rates(10_000, 0, 0);

        public Rates {
            if (commandsPerMinute < 0 || messagesPerMinute < 0 || recipientsPerMinute < 0) {
                throw new IllegalArgumentException("rate limits must be >= 0 (0 = no limit)");
            }
        }

        int perMinute(Event e) {
            return switch (e) {
                case COMMAND -> commandsPerMinute;
                case MESSAGE -> messagesPerMinute;
                case RECIPIENT -> recipientsPerMinute;
            };
        }
    }

    private final RelayPolicy exemptions;
    private final Clock clock;
    private final Map<Event, RateBuckets> buckets = new EnumMap<>(Event.class);

    public ClientRateLimits(Rates rates, RelayPolicy exemptions, Clock clock) {
        this.exemptions = Objects.requireNonNull(exemptions, "exemptions");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Event e : Event.values()) {
            if (rates.perMinute(e) > 0) {
                buckets.put(e, new RateBuckets(rates.perMinute(e), TRACKED_CLIENTS));
            }
        }
    }

    /** No limits at all (tests, embedded use). */
    public static ClientRateLimits unlimited() {
        return new ClientRateLimits(Rates.OFF, new RelayPolicy(List.of(), Set.of()), Clock.systemUTC());
    }

    /** Counts one {@code event} by {@code client}, or says it is over the limit (and counts nothing). */
    public boolean allows(Event event, InetAddress client) {
        RateBuckets b = buckets.get(event);
        return b == null || exemptions.isTrusted(client) || b.tryTake(ClientKey.of(client), clock.millis());
    }

    /**
     * What Postfix answers: a command flood ends the session ({@code 421}, the caller closes);
     * messages and recipients over the rate are refused one by one ({@code 450 4.7.1}).
     */
    public static Reply refusal(Event event, String hostname, InetAddress client) {
        String addr = client.getHostAddress();
        return switch (event) {
            case COMMAND -> Reply.of(421, "4.7.0", hostname + " Error: too many commands from " + addr);
            case MESSAGE -> Reply.of(450, "4.7.1", "Error: too much mail from " + addr);
            case RECIPIENT -> Reply.of(450, "4.7.1", "Error: too many recipients from " + addr);
        };
    }
}
