package io.postbus.ingress.proxy;

import io.postbus.ingress.proxy.ProxyHeader.Command;
import io.postbus.ingress.proxy.ProxyHeader.Family;
import io.postbus.ingress.proxy.ProxyParseResult.Invalid;
import io.postbus.ingress.proxy.ProxyParseResult.NeedMore;
import io.postbus.ingress.proxy.ProxyParseResult.Parsed;
import io.postbus.ingress.proxy.ProxyParseResult.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The human-readable header, version 1 (spec §2.1): one US-ASCII line of at most 107 bytes with its CRLF. */
final class V1Parser {
    static final byte[] PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** §2.1: "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n". */
    static final int MAX_LENGTH = 107;

    private V1Parser() {}

    /** {@code b[off, off + len)} starts with (a prefix of) "PROXY "; finds the CRLF, then decodes. */
    static ProxyParseResult parse(byte[] b, int off, int len) {
        for (int i = 0; i < Math.min(len, PREFIX.length); i++) {
            if (b[off + i] != PREFIX[i]) {
                return new Invalid(Reason.BAD_SIGNATURE, "not a PROXY header");
            }
        }
        // §2.1: wait for the CRLF before decoding, but refuse as soon as a byte cannot belong to the line.
        int scan = Math.min(len, MAX_LENGTH);
        for (int i = PREFIX.length; i < scan; i++) {
            int c = b[off + i] & 0xff;
            if (c == '\r') {
                if (i + 2 > MAX_LENGTH) {
                    return new Invalid(Reason.LINE_TOO_LONG, "no CRLF within 107 bytes");
                }
                if (i + 1 >= len) {
                    return new NeedMore(i + 2);
                }
                if (b[off + i + 1] != '\n') {
                    return new Invalid(Reason.BAD_LINE, "CR not followed by LF");
                }
                String line = new String(b, off + PREFIX.length, i - PREFIX.length, StandardCharsets.US_ASCII);
                return decode(line, i + 2);
            }
            if (c == '\n') {
                return new Invalid(Reason.BAD_LINE, "bare LF; the line must end in CRLF");
            }
            if (c < 0x20 || c > 0x7e) {
                return new Invalid(Reason.BAD_LINE, String.format("byte 0x%02x is not printable US-ASCII", c));
            }
        }
        if (len >= MAX_LENGTH) {
            return new Invalid(Reason.LINE_TOO_LONG, "no CRLF within 107 bytes");
        }
        return new NeedMore(len + 1);
    }

    /** The line after "PROXY ", without its CRLF; {@code consumed} counts both. */
    private static ProxyParseResult decode(String line, int consumed) {
        if (line.startsWith("UNKNOWN") && (line.length() == 7 || line.charAt(7) == ' ')) {
            // §2.1: for UNKNOWN the receiver must ignore the rest of the line.
            return new Parsed(new ProxyHeader(1, Command.PROXY, Family.UNKNOWN, null, null, List.of()), consumed);
        }
        String[] t = line.split(" ", -1);
        Family family;
        if (t[0].equals("TCP4")) {
            family = Family.TCP4;
        } else if (t[0].equals("TCP6")) {
            family = Family.TCP6;
        } else {
            return new Invalid(Reason.BAD_FAMILY, "protocol must be TCP4, TCP6 or UNKNOWN");
        }
        if (t.length != 5) {
            return new Invalid(Reason.BAD_LINE, "expected 5 fields separated by single spaces after PROXY, got " + t.length);
        }
        byte[] src = family == Family.TCP4 ? IpLiterals.ipv4(t[1]) : IpLiterals.ipv6(t[1]);
        byte[] dst = family == Family.TCP4 ? IpLiterals.ipv4(t[2]) : IpLiterals.ipv6(t[2]);
        if (src == null || dst == null) {
            return new Invalid(Reason.BAD_ADDRESS, "address is not a canonical " + family + " literal");
        }
        int sport = IpLiterals.port(t[3]);
        int dport = IpLiterals.port(t[4]);
        if (sport < 0 || dport < 0) {
            return new Invalid(Reason.BAD_PORT, "port is not a decimal 0..65535 without leading zeros");
        }
        return new Parsed(new ProxyHeader(1, Command.PROXY, family, socket(src, sport), socket(dst, dport), List.of()), consumed);
    }

    /** From raw bytes: {@code getByAddress} never looks anything up. */
    static InetSocketAddress socket(byte[] address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes expected, got " + address.length, e);
        }
    }
}
