package io.postbus.ingress.server;

import io.postbus.ingress.smtp.ListenerKind;
import java.net.InetSocketAddress;

/** Facts about the connection a message came in on, for the envelope. */
public record ConnectionInfo(ListenerKind listener, InetSocketAddress client, String clientName, String tlsProtocol,
                             String tlsCipher, String authenticatedUser) {}
