package io.postbus.delivery.route;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IP address text without ever asking DNS. {@code InetAddress.getByName} falls back to a
 * DNS lookup for text it cannot parse, and accepts oddities like "127.1"; neither belongs in an
 * address literal.
 */
public final class AddressLiterals {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private AddressLiterals() {
    }

    /** An IPv4 dotted quad or an IPv6 address (optionally with RFC 5321's "IPv6:" tag). */
    public static Optional<InetAddress> parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.startsWith("ipv6:")) {
            return parseV6(t.substring(5));
        }
        if (IPV4.matcher(t).matches()) {
            String[] parts = t.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            try {
                return Optional.of(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                throw new AssertionError("four bytes are always an address", e);
            }
        }
        return parseV6(t);
    }

    private static Optional<InetAddress> parseV6(String t) {
        if (t.indexOf(':') < 0 || !IPV6_CHARS.matcher(t).matches()) {
            return Optional.empty();
        }
        try {
            // In brackets, the JDK insists on an IPv6 literal and never falls back to DNS.
            return Optional.of(InetAddress.getByName("[" + t + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
