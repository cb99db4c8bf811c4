package io.postbus.auth.spf;

import io.postbus.core.net.IpText;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Address text and matching as SPF needs them: strict parsing, the macro forms, CIDR comparison. */
final class IpAddresses {
    private IpAddresses() {}

    /** ip4-network of RFC 7208 §5.6: four qnum, each 0-255 without leading zeros. */
    private static final Pattern QNUM = Pattern.compile("0|[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5]");
    private static final Pattern IP6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * RFC 7208 §5 (item 9 of the list in §5.6 and §5): an IPv4-mapped IPv6 client "MUST still be
     * considered an IPv4 address". Returns the IPv4 address for ::ffff:a.b.c.d, else the address.
     */
    static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && isMapped(b)) {
            return byAddress(new byte[] {b[12], b[13], b[14], b[15]});
        }
        return address;
    }

    /** Strict dotted-quad, never a DNS lookup; the lenient forms InetAddress accepts ("1.2.3") are refused. */
    static Optional<byte[]> parseIp4(String text) {
        String[] quads = text.split("\\.", -1);
        if (quads.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!QNUM.matcher(quads[i]).matches()) {
                return Optional.empty();
            }
            out[i] = (byte) Integer.parseInt(quads[i]);
        }
        return Optional.of(out);
    }

    /**
     * An IPv6 literal (RFC 4291 §2.2) as 16 bytes. The JDK parses it: with only hex digits, colons
     * and dots, and at least one colon, InetAddress treats the text as a literal and never asks DNS.
     * A mapped address stays 16 bytes (the JDK would turn it into IPv4), so that an ip6 term with
     * one never matches an IPv4 client (§5).
     */
    static Optional<byte[]> parseIp6(String text) {
        if (!IP6_CHARS.matcher(text).matches() || text.indexOf(':') < 0) {
            return Optional.empty();
        }
        int lastColon = text.lastIndexOf(':');
        String tail = text.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0 && parseIp4(tail).isEmpty()) {
            return Optional.empty(); // the JDK is lenient with the embedded IPv4 part
        }
        try {
            InetAddress parsed = InetAddress.getByName(text);
            if (parsed instanceof Inet4Address) {
                byte[] v4 = parsed.getAddress();
                return Optional.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
                        v4[0], v4[1], v4[2], v4[3]});
            }
            return Optional.of(parsed.getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty(); // not a valid literal: the JDK says so without a query
        }
    }

    /** Whether the first {@code prefix} bits of two addresses of the same family agree. */
    static boolean sameNetwork(byte[] a, byte[] b, int prefix) {
        if (a.length != b.length || prefix > a.length * 8) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[whole] & mask) == (b[whole] & mask);
    }

    /**
     * The "i" macro (§7.3): dotted-quad for IPv4; for IPv6 the 32 nibbles separated by dots. The
     * nibbles are upper case, as in pyspf and the RFC 7208 test suite's expected explanations;
     * a DNS name built from them matches either case.
     */
    static String dotted(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder out = new StringBuilder();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        for (byte x : b) {
            out.append(Character.toUpperCase(HEX[(x >> 4) & 0xf])).append('.')
                    .append(Character.toUpperCase(HEX[x & 0xf])).append('.');
        }
        return out.substring(0, out.length() - 1);
    }

    /** The "c" macro (§7.3): dotted-quad, or IPv6 in the RFC 5952 §4 text form. */
    static String readable(InetAddress address) {
        return IpText.canonical(address);
    }

    static boolean isIpv6(InetAddress address) {
        return address.getAddress().length == 16;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }
}
