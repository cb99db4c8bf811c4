package io.postbus.core.net;

import java.net.InetAddress;

/**
 * An IP address as text the way humans and RFCs expect it: IPv4 dotted-quad, IPv6 in the canonical
 * form of RFC 5952 §4 (lower case, no leading zeros, the longest run of two or more zero groups as
 * "::", the first one on a tie). {@link InetAddress#getHostAddress()} does not shorten IPv6 addresses,
 * so "2001:db8:0:0:0:0:0:1" would reach logs, SMTP replies and SPF macros.
 */
public final class IpText {
    private IpText() {}

    public static String canonical(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
