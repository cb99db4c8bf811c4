package io.postbus.ingress.proxy;

import java.util.Arrays;

/**
 * Strict text-to-bytes parsing of the address and port tokens of a version 1 line (spec §2.1). Only
 * literals are accepted, and the parsing is our own so that nothing can fall through to a DNS lookup
 * the way {@code InetAddress.getByName} does with a string it does not recognise.
 */
final class IpLiterals {
    private IpLiterals() {}

    /** Four decimal integers 0..255 separated by single dots, no leading zeros; or null. */
    static byte[] ipv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && isDigit(s.charAt(i)) && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part == 4) {
                return i == n ? out : null;
            }
            if (i >= n || s.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /**
     * Colon-separated groups of one to four hex digits, at most one "::" standing for one or more zero
     * groups, 128 bits in all. A dotted IPv4 tail ({@code ::ffff:192.0.2.1}) is accepted as the last
     * 32 bits because that is how inet_ntop, and so HAProxy, prints a mapped address. Null if invalid.
     */
    static byte[] ipv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(gap < 0 ? s : s.substring(0, gap), gap < 0);
        int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int total = head.length + tail.length;
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int g = 0; g < head.length; g++) {
            out[2 * g] = (byte) (head[g] >> 8);
            out[2 * g + 1] = (byte) head[g];
        }
        for (int g = 0; g < tail.length; g++) {
            int at = 8 - tail.length + g;
            out[2 * at] = (byte) (tail[g] >> 8);
            out[2 * at + 1] = (byte) tail[g];
        }
        return out;
    }

    /** The 16-bit groups of one side of "::" (empty side: none); the last may be dotted IPv4 if allowed. */
    private static int[] groups(String side, boolean dottedTailAllowed) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int[] out = new int[parts.length + 1];
        int count = 0;
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            if (p == parts.length - 1 && dottedTailAllowed && part.indexOf('.') >= 0) {
                byte[] v4 = ipv4(part);
                if (v4 == null) {
                    return null;
                }
                out[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int i = 0; i < part.length(); i++) {
                int d = Character.digit(part.charAt(i), 16);
                if (d < 0 || part.charAt(i) > 'f') {
                    return null;
                }
                value = value * 16 + d;
            }
            out[count++] = value;
        }
        return Arrays.copyOf(out, count);
    }

    /** A decimal integer 0..65535 without leading zeros; or -1. */
    static int port(String s) {
        int n = s.length();
        if (n == 0 || n > 5 || (n > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < n; i++) {
            if (!isDigit(s.charAt(i))) {
                return -1;
            }
            value = value * 10 + (s.charAt(i) - '0');
        }
        return value <= 65535 ? value : -1;
    }

    /** ASCII digits only: {@code Character.isDigit} would also take other scripts' digits. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
