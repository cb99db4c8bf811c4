package io.postbus.ingress.server;

import io.postbus.ingress.proxy.ProxyPolicy;
import io.postbus.ingress.smtp.ListenerKind;
import java.time.Duration;
import java.util.Objects;

/**
 * One SMTP listener.
 *
 * @param port       0 = any free port (tests)
 * @param proxy      whether a PROXY protocol header must come first, and from which proxies; on the
 *                   implicit-TLS listener it comes in clear text before the TLS handshake
 * @param greetPause how long to wait before the banner; a client that talks in that time is refused
 *                   (sendmail's greet_pause, postscreen's pregreet test); zero = no wait
 */
public record ListenerConfig(ListenerKind kind, String host, int port, ProxyPolicy proxy, Duration greetPause) {
    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(greetPause, "greetPause");
    }

    public ListenerConfig(ListenerKind kind, String host, int port) {
        this(kind, host, port, ProxyPolicy.off(), Duration.ZERO);
    }
}
