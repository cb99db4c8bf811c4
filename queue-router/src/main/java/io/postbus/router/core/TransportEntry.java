package io.postbus.router.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code transport:nexthop} value as transport(5) and the {@code *_transport} parameters write it,
 * split at the first ':' as Postfix's transport.c does (so {@code smtp:[10.0.0.1]:2525} is transport
 * {@code smtp}, next hop {@code [10.0.0.1]:2525}). Either part may be empty: transport(5) "A null
 * transport and null nexthop field means do not change", a transport without a next hop resets the
 * next hop to the recipient domain, a next hop without a transport keeps the transport.
 *
 * <p>Parsing never fails; {@link #problem()} says what is wrong with an entry Postbus cannot use, so
 * that the configuration is checked at start and a bad entry met later defers instead of guessing.
 */
public record TransportEntry(String transport, String nexthop) {
    /** RFC 3463 status at the start of an error(8)/retry(8) reason, as Postfix's dsn_split reads it. */
    static final Pattern STATUS = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+|$)");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public TransportEntry {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(nexthop, "nexthop");
        transport = transport.strip();
        nexthop = nexthop.strip();
    }

    /** Splits a table value; {@code inet:} in front of an LMTP next hop is dropped (it is the default). */
    public static TransportEntry parse(String value) {
        Objects.requireNonNull(value, "value");
        int colon = value.indexOf(':');
        if (colon < 0) {
            return new TransportEntry(value, "");
        }
        String transport = value.substring(0, colon).strip();
        String nexthop = value.substring(colon + 1).strip();
        if (transport.equals("lmtp") && nexthop.startsWith("inet:")) {
            nexthop = nexthop.substring("inet:".length());
        }
        return new TransportEntry(transport, nexthop);
    }

    /** The named transport; empty when the entry leaves the transport as it is, or names one we lack. */
    public Optional<TransportName> name() {
        return TransportName.of(transport);
    }

    /** Why Postbus cannot use this entry, if it cannot. */
    public Optional<String> problem() {
        if (transport.isEmpty()) {
            return nexthop.isEmpty() || nexthop.startsWith("[") || HOST.matcher(nexthop).lookingAt()
                    ? Optional.empty() : Optional.of("next hop '" + nexthop + "' is not a host");
        }
        Optional<TransportName> name = name();
        if (name.isEmpty()) {
            return Optional.of("unknown mail transport '" + transport + "' (Postbus has smtp, relay, lmtp, local,"
                    + " virtual, error, retry, discard)");
        }
        switch (name.get()) {
            case ERROR:
                return statusClass().filter(c -> c != '5')
                        .map(c -> "error: takes a 5.X.Y status (use retry: to defer): '" + nexthop + "'");
            case RETRY:
                return statusClass().filter(c -> c != '4')
                        .map(c -> "retry: takes a 4.X.Y status (use error: to bounce): '" + nexthop + "'");
            case SMTP:
            case RELAY:
            case LMTP:
                return nexthop.isEmpty() ? Optional.empty() : hostProblem(nexthop);
            default:
                return Optional.empty();
        }
    }

    private Optional<Character> statusClass() {
        var m = STATUS.matcher(nexthop);
        return m.lookingAt() ? Optional.of(nexthop.charAt(0)) : Optional.empty();
    }

    /** One next hop: {@code [host]}, {@code [host]:port}, {@code host} or {@code host:port}. */
    static Optional<String> hostProblem(String hop) {
        if (hop.startsWith("unix:")) {
            return Optional.of("next hop '" + hop + "': UNIX-domain sockets are not supported; use [host]:port");
        }
        String host = hop;
        String port = null;
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            if (close < 2) {
                return Optional.of("next hop '" + hop + "': unbalanced or empty [ ]");
            }
            host = hop.substring(1, close);
            String rest = hop.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.of("next hop '" + hop + "': expected :port after ]");
                }
                port = rest.substring(1);
            }
            if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',' || c == '[' || c == ']')) {
                return Optional.of("next hop '" + hop + "': one host only");
            }
        } else {
            int colon = hop.lastIndexOf(':');
            if (colon >= 0) {
                host = hop.substring(0, colon);
                port = hop.substring(colon + 1);
            }
            // transport(5): "The [] form is required when you specify an IP address instead of a hostname."
            if (!HOST.matcher(host).matches() || IPV4.matcher(host).matches()) {
                return Optional.of("next hop '" + hop + "' is not one host name (an IP address needs [ ])");
            }
        }
        if (port != null && (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            return Optional.of("next hop '" + hop + "': port must be a number 1..65535");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return transport + ":" + nexthop;
    }
}
