package io.postbus.loadtest.sink;

import io.vertx.core.net.KeyCertOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SmtpSink} listens and answers. Start from {@link #defaults()} and change what a
 * test needs with the {@code with...} methods.
 *
 * @param host           address to bind; loopback by default so tests never listen publicly
 * @param port           0 picks a free port, read it back with {@link SmtpSink#port()}
 * @param hostname       the name in the greeting and EHLO reply
 * @param maxLineLength  longest command or data line, without CRLF; a longer one gets 500 and
 *                       the connection is closed (RecordParser would otherwise buffer forever)
 * @param maxMessageSize advertised as SIZE, enforced at MAIL (SIZE=) and at end of data (552)
 * @param eventLoops     how many event loops accept connections on the shared port
 * @param retainMessages false keeps only the counters, so a long load test does not fill the heap
 * @param idleTimeout    a connection silent this long is closed
 * @param policy         chooses the replies
 * @param clock          stamps {@link ReceivedMessage#arrivedAt()}
 * @param startTls       the server's key and certificate for STARTTLS (RFC 3207); null = no STARTTLS
 */
public record SinkConfig(String host, int port, String hostname, int maxLineLength, long maxMessageSize,
                         int eventLoops, boolean retainMessages, Duration idleTimeout, SinkPolicy policy,
                         Clock clock, KeyCertOptions startTls) {

    public SinkConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(hostname, "hostname");
        if (hostname.isEmpty() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("hostname must be printable ASCII without spaces: " + hostname);
        }
        // RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets with CRLF; we may accept more.
        if (maxLineLength < 998) {
            throw new IllegalArgumentException("maxLineLength below the RFC 5321 minimum of 998: " + maxLineLength);
        }
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1: " + eventLoops);
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        if (startTls != null && eventLoops > 1) {
            // Vert.x 5.0.8: a connection handed to the second instance of a shared port has no SSL
            // context manager, and upgradeToSsl throws a NullPointerException there.
            throw new IllegalArgumentException("STARTTLS needs eventLoops = 1: " + eventLoops);
        }
    }

    public static SinkConfig defaults() {
        return new SinkConfig("127.0.0.1", 0, "sink.postbus.test", 64 * 1024, 35L * 1024 * 1024, 1, true,
                Duration.ofMinutes(5), SinkPolicy.acceptAll(), Clock.systemUTC(), null);
    }

    public SinkConfig withPort(int port) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    public SinkConfig withHostname(String hostname) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    public SinkConfig withMaxMessageSize(long maxMessageSize) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    public SinkConfig withEventLoops(int eventLoops) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    public SinkConfig withRetainMessages(boolean retainMessages) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    public SinkConfig withIdleTimeout(Duration idleTimeout) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    public SinkConfig withPolicy(SinkPolicy policy) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    public SinkConfig withClock(Clock clock) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, startTls);
    }

    /** Offers STARTTLS (RFC 3207) with this key and certificate. */
    public SinkConfig withStartTls(KeyCertOptions keyCert) {
        return new SinkConfig(host, port, hostname, maxLineLength, maxMessageSize, eventLoops, retainMessages,
                idleTimeout, policy, clock, Objects.requireNonNull(keyCert, "keyCert"));
    }
}
