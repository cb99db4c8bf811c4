package io.postbus.ingress.proxy;

import java.net.InetSocketAddress;
import java.util.Objects;

/** What the shell does next with a connection on a PROXY listener; see {@link ProxyPolicy#evaluate}. */
public sealed interface ProxyDecision {

    /** Read more, then evaluate everything received again; at least {@code atLeast} bytes are needed. */
    record Wait(int atLeast) implements ProxyDecision {}

    /**
     * Start the SMTP session for {@code client}, talking to {@code server}. These are the header's
     * addresses, or the socket's own when the header names none (LOCAL, UNKNOWN, AF_UNIX). Skip
     * {@code consumed} bytes; any bytes after them are SMTP input.
     */
    record Accept(InetSocketAddress client, InetSocketAddress server, ProxyHeader header, int consumed)
            implements ProxyDecision {
        public Accept {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(header, "header");
        }
    }

    /** Close the connection without a reply (the peer is a proxy, not an SMTP client). */
    record Refuse(Cause cause, String detail) implements ProxyDecision {
        public Refuse {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
        }
    }

    enum Cause {
        /** The connection does not come from a configured proxy network (spec §2, §5). */
        UNTRUSTED_PEER,
        /** The header is malformed or missing; {@code detail} names the {@link ProxyParseResult.Reason}. */
        INVALID_HEADER
    }
}
