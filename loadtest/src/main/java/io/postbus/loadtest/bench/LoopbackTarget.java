package io.postbus.loadtest.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP server a benchmark drives. Only loopback addresses (127.0.0.0/8, ::1) are accepted, so
 * a benchmark can never load a server that is not on this machine; the host must be an IP literal
 * or {@code localhost}, because a name would need a DNS lookup that could point anywhere.
 *
 * @param host an IPv4 literal, an IPv6 literal (without brackets) or {@code localhost}
 * @param port 1..65535
 */
public record LoopbackTarget(String host, int port) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    public LoopbackTarget {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        loopbackAddress(host);
    }

    /** Parses {@code 127.0.0.1:2525}, {@code [::1]:2525} or {@code localhost:2525}. */
    public static LoopbackTarget parse(String hostPort) {
        Objects.requireNonNull(hostPort, "target");
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("target must be [ipv6]:port: " + hostPort);
            }
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || hostPort.indexOf(':') != colon) {
                throw new IllegalArgumentException("target must be host:port (IPv6 as [::1]:port): " + hostPort);
            }
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        try {
            return new LoopbackTarget(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number: " + hostPort, e);
        }
    }

    /** The address to connect to; never involves DNS. */
    public InetAddress address() {
        return loopbackAddress(host);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static InetAddress loopbackAddress(String host) {
        try {
            InetAddress address;
            Matcher v4 = IPV4.matcher(host);
            if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
                address = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
            } else if (v4.matches()) {
                byte[] octets = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        throw new IllegalArgumentException("not an IPv4 address: " + host);
                    }
                    octets[i] = (byte) octet;
                }
                address = InetAddress.getByAddress(octets);
            } else if (IPV6.matcher(host).matches()) {
                // For text of hex digits, dots and colons getByName parses a literal and never
                // looks it up (an invalid one is an UnknownHostException).
                address = InetAddress.getByName(host);
            } else {
                throw new IllegalArgumentException("target host must be an IP literal or localhost, not a name: " + host);
            }
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException(
                        "refusing non-loopback target " + host + ": benchmarks only drive 127.0.0.0/8 or ::1");
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }
}
