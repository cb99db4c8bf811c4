package io.postbus.ingress.dnsbl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** The DNS name under which a DNSxL lists an address (RFC 5782 §2.1 for IPv4, §2.4 for IPv6). */
public final class DnsblQueryName {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private DnsblQueryName() {}

    /**
     * The query name for {@code client} in {@code zone}: RFC 5782 §2.1, the four octets in reverse
     * order ({@code 192.0.2.99} in {@code bl.example} is {@code 99.2.0.192.bl.example}); §2.4, the 32
     * nibbles of an IPv6 address in reverse order, in lower-case hex, each its own label. An
     * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.99}, what a dual-stack socket reports for an
     * IPv4 client) is queried as the IPv4 address it is.
     */
    public static String of(InetAddress client, String zone) {
        return reversed(client) + "." + zone;
    }

    /** The reversed part alone, without the zone. */
    public static String reversed(InetAddress client) {
        InetAddress a = unmapped(client);
        byte[] b = a.getAddress();
        StringBuilder sb = new StringBuilder(64);
        if (a instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append(i == 0 ? "" : ".");
            }
            return sb.toString();
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(HEX[b[i] & 0x0f]).append('.').append(HEX[(b[i] >> 4) & 0x0f]).append(i == 0 ? "" : ".");
        }
        return sb.toString();
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2); any other address as is. */
    public static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            if (Arrays.equals(b, 0, 12, MAPPED_PREFIX, 0, 12)) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", e);
                }
            }
        }
        return address;
    }
}
