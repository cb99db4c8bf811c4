package io.postbus.router.core;

import io.postbus.core.address.AddressClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The transport of each address class (postconf(5) local_transport, virtual_transport,
 * relay_transport, default_transport), each {@code transport[:nexthop]}. A next hop given here wins
 * over relayhost and the recipient domain; transport_maps win over both (trivial-rewrite resolve.c).
 * The virtual alias class has none: an address there that no alias rewrote is unknown.
 *
 * @param fallback default_transport ({@code default} is a Java keyword)
 */
public record ClassTransports(TransportEntry local, TransportEntry virtual, TransportEntry relay, TransportEntry fallback) {

    /** Postfix's defaults: local, virtual, relay, smtp. */
    public static ClassTransports defaults() {
        return new ClassTransports(TransportEntry.parse("local"), TransportEntry.parse("virtual"),
                TransportEntry.parse("relay"), TransportEntry.parse("smtp"));
    }

    public ClassTransports {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(virtual, "virtual");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(fallback, "fallback");
        List<String> problems = new ArrayList<>();
        check(problems, "local_transport", local);
        check(problems, "virtual_transport", virtual);
        check(problems, "relay_transport", relay);
        check(problems, "default_transport", fallback);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void check(List<String> problems, String name, TransportEntry entry) {
        if (entry.transport().isEmpty()) {
            // resolve.c: "parameter %s: null transport is not allowed"
            problems.add(name + ": null transport is not allowed");
        } else {
            entry.problem().ifPresent(p -> problems.add(name + ": " + p));
        }
    }

    /** The entry for a class; VIRTUAL_ALIAS has none (resolve.c routes it to error:User unknown). */
    TransportEntry of(AddressClass addressClass) {
        switch (addressClass) {
            case LOCAL:
                return local;
            case VIRTUAL_MAILBOX:
                return virtual;
            case RELAY:
                return relay;
            case DEFAULT:
                return fallback;
            default:
                throw new IllegalArgumentException("no transport for " + addressClass);
        }
    }
}
