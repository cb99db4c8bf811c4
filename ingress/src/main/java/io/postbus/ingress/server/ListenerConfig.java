package io.postbus.ingress.server;

import io.postbus.ingress.smtp.ListenerKind;

/** One SMTP listener: its kind and where it binds (port 0 = any free port, for tests). */
public record ListenerConfig(ListenerKind kind, String host, int port) {
    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
