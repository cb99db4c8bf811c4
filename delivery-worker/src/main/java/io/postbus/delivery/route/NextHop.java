package io.postbus.delivery.route;

import io.postbus.core.dns.DnsNames;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where to send mail for a destination, in Postfix's relayhost / transport nexthop syntax:
 * <ul>
 *   <li>{@code host} or {@code host:port}: look up the MX records of host (RFC 5321 §5.1);</li>
 *   <li>{@code [host]} or {@code [host]:port}: no MX lookup, connect to host's own addresses;</li>
 *   <li>{@code [192.0.2.1]}, {@code [2001:db8::1]:587}, {@code [IPv6:2001:db8::1]}: that address.</li>
 * </ul>
 * The port defaults to 25.
 *
 * @param host      a lower-case domain name without trailing dot, or an address in its textual form
 * @param port      1 to 65535
 * @param mxLookup  whether the host's MX records decide the servers to try
 */
public record NextHop(String host, int port, boolean mxLookup) {

    public static final int SMTP_PORT = 25;

    public NextHop {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Optional<InetAddress> literal = AddressLiterals.parse(host);
        if (literal.isPresent()) {
            if (mxLookup) {
                throw new IllegalArgumentException("an address has no MX records; put it in brackets: " + host);
            }
            host = literal.get().getHostAddress();
        } else {
            host = checkDomain(host);
        }
    }

    /** Parses relayhost syntax; throws IllegalArgumentException with the reason when it is not. */
    public static NextHop parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty next hop");
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in next hop: " + spec);
            }
            String inside = s.substring(1, close);
            String rest = s.substring(close + 1);
            int port = rest.isEmpty() ? SMTP_PORT : port(rest, spec);
            String host = AddressLiterals.parse(inside).map(InetAddress::getHostAddress).orElse(inside);
            return new NextHop(host, port, false);
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("an IPv6 address must be in brackets: " + spec);
        }
        String host = colon < 0 ? s : s.substring(0, colon);
        int port = colon < 0 ? SMTP_PORT : port(s.substring(colon), spec);
        return new NextHop(host, port, true);
    }

    /**
     * The next hop for a recipient domain: its MX records on port 25, or, for an address
     * literal such as "[192.0.2.1]" (RFC 5321 §4.1.3), that address.
     */
    public static NextHop forDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        if (domain.startsWith("[")) {
            if (!domain.endsWith("]")) {
                throw new IllegalArgumentException("malformed address literal: " + domain);
            }
            String inside = domain.substring(1, domain.length() - 1);
            InetAddress address = AddressLiterals.parse(inside)
                    .orElseThrow(() -> new IllegalArgumentException("malformed address literal: " + domain));
            return new NextHop(address.getHostAddress(), SMTP_PORT, false);
        }
        return new NextHop(domain, SMTP_PORT, true);
    }

    /** The address, when the host is an address literal. */
    public Optional<InetAddress> address() {
        return AddressLiterals.parse(host);
    }

    /** Back in relayhost syntax: "example.com", "[mail.example.com]:587", "[2001:db8::1]". */
    @Override
    public String toString() {
        String h = mxLookup ? host : "[" + host + "]";
        return port == SMTP_PORT ? h : h + ":" + port;
    }

    private static int port(String colonAndPort, String spec) {
        if (!colonAndPort.startsWith(":") || colonAndPort.length() < 2 || colonAndPort.length() > 6
                || !colonAndPort.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed port in next hop: " + spec);
        }
        return Integer.parseInt(colonAndPort.substring(1));
    }

    /** Letters, digits, '-', '_' and dots; non-ASCII for IDNs (U-labels). Nothing that could inject. */
    private static String checkDomain(String name) {
        String n = DnsNames.normalize(name);
        if (n.isEmpty() || n.length() > 253 || n.startsWith(".") || n.contains("..")) {
            throw new IllegalArgumentException("not a domain name: " + name);
        }
        String last = n.substring(n.lastIndexOf('.') + 1);
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // No top-level domain is numeric: this is a mistyped address ("999.1.1.1").
            throw new IllegalArgumentException("neither a domain name nor an IP address: " + name);
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                    || (c >= 0x80 && !Character.isWhitespace(c) && !Character.isISOControl(c));
            if (!ok) {
                throw new IllegalArgumentException("not a domain name: " + name);
            }
        }
        return n;
    }
}
