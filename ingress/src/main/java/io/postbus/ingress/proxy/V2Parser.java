package io.postbus.ingress.proxy;

import io.postbus.ingress.proxy.ProxyHeader.Command;
import io.postbus.ingress.proxy.ProxyHeader.Family;
import io.postbus.ingress.proxy.ProxyParseResult.Invalid;
import io.postbus.ingress.proxy.ProxyParseResult.NeedMore;
import io.postbus.ingress.proxy.ProxyParseResult.Parsed;
import io.postbus.ingress.proxy.ProxyParseResult.Reason;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/** The binary header, version 2 (spec §2.2): 16 fixed bytes, then addresses and TLVs. */
final class V2Parser {
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int FIXED_LENGTH = 16;

    private V2Parser() {}

    /** {@code b[off, off + len)} starts with (a prefix of) the signature. */
    static ProxyParseResult parse(byte[] b, int off, int len, int maxPayload) {
        for (int i = 0; i < Math.min(len, SIGNATURE.length); i++) {
            if (b[off + i] != SIGNATURE[i]) {
                return new Invalid(Reason.BAD_SIGNATURE, "not a PROXY header");
            }
        }
        // Judge each fixed byte as soon as it arrives, so a bad header is refused without waiting.
        if (len <= 12) {
            return new NeedMore(FIXED_LENGTH);
        }
        int verCmd = b[off + 12] & 0xff;
        if (verCmd >> 4 != 2) {
            return new Invalid(Reason.BAD_VERSION, "version nibble " + (verCmd >> 4) + ", only 2 is allowed");
        }
        int cmd = verCmd & 0x0f;
        if (cmd > 1) {
            return new Invalid(Reason.BAD_COMMAND, "command " + cmd + " is neither LOCAL nor PROXY");
        }
        Command command = cmd == 0 ? Command.LOCAL : Command.PROXY;
        if (len == 13) {
            return new NeedMore(FIXED_LENGTH);
        }
        int fam = b[off + 13] & 0xff;
        if (fam >> 4 > 3 || (fam & 0x0f) > 2) {
            return new Invalid(Reason.BAD_FAMILY, String.format("unassigned family/protocol byte 0x%02x", fam));
        }
        if (len < FIXED_LENGTH) {
            return new NeedMore(FIXED_LENGTH);
        }
        int payload = ((b[off + 14] & 0xff) << 8) | (b[off + 15] & 0xff);
        if (payload > maxPayload) {
            return new Invalid(Reason.TOO_LARGE, "address and TLV length " + payload + " exceeds our limit of " + maxPayload);
        }
        int total = FIXED_LENGTH + payload;
        if (len < total) {
            return new NeedMore(total);
        }
        return decode(b, off, command, fam, payload);
    }

    private static ProxyParseResult decode(byte[] b, int off, Command command, int fam, int payload) {
        Family family = family(fam);
        int addressLength = addressLength(family);
        if (payload < addressLength) {
            if (command == Command.PROXY) {
                return new Invalid(Reason.LENGTH_MISMATCH,
                        "length " + payload + " is shorter than the " + addressLength + " address bytes of " + family);
            }
            // §2.2: for LOCAL the family is ignored; the block is only skipped.
            addressLength = -1;
        }
        List<ProxyTlv> tlvs = List.of();
        if (addressLength >= 0 && family != Family.UNKNOWN) {
            int tlvStart = off + FIXED_LENGTH + addressLength;
            tlvs = Tlvs.split(b, tlvStart, payload - addressLength);
            if (tlvs == null) {
                return new Invalid(Reason.BAD_TLV, "a TLV overruns the header");
            }
            ProxyParseResult bad = checkTlvs(b, off, FIXED_LENGTH + payload, tlvStart, tlvs);
            if (bad != null) {
                return bad;
            }
        }
        InetSocketAddress source = null;
        InetSocketAddress destination = null;
        if (command == Command.PROXY && family.carriesInetAddresses()) {
            int a = off + FIXED_LENGTH;
            int size = family == Family.TCP4 || family == Family.UDP4 ? 4 : 16;
            source = V1Parser.socket(Arrays.copyOfRange(b, a, a + size), u16(b, a + 2 * size));
            destination = V1Parser.socket(Arrays.copyOfRange(b, a + size, a + 2 * size), u16(b, a + 2 * size + 2));
        }
        return new Parsed(new ProxyHeader(2, command, family, source, destination, tlvs), FIXED_LENGTH + payload);
    }

    /** Registered TLV values must be well-formed; at most one CRC32C, and it must match (§2.2.3). */
    private static ProxyParseResult checkTlvs(byte[] b, int off, int total, int tlvStart, List<ProxyTlv> tlvs) {
        int crcValueAt = -1;
        int p = tlvStart;
        for (ProxyTlv t : tlvs) {
            String problem = Tlvs.problem(t);
            if (problem != null) {
                return new Invalid(Reason.BAD_TLV, problem);
            }
            if (t.type() == ProxyTlv.PP2_TYPE_CRC32C) {
                if (crcValueAt >= 0) {
                    return new Invalid(Reason.BAD_TLV, "more than one PP2_TYPE_CRC32C");
                }
                crcValueAt = p + 3;
            }
            p += 3 + t.length();
        }
        if (crcValueAt < 0) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, off, crcValueAt - off);
        crc.update(new byte[4], 0, 4);
        crc.update(b, crcValueAt + 4, off + total - crcValueAt - 4);
        long sent = ((long) u16(b, crcValueAt) << 16) | u16(b, crcValueAt + 2);
        if (crc.getValue() != sent) {
            return new Invalid(Reason.CRC_MISMATCH,
                    String.format("PP2_TYPE_CRC32C says %08x, header sums to %08x", sent, crc.getValue()));
        }
        return null;
    }

    /** §2.2: a zero nibble on either side means UNSPEC, whose addresses are ignored. */
    private static Family family(int fam) {
        return switch (fam) {
            case 0x11 -> Family.TCP4;
            case 0x12 -> Family.UDP4;
            case 0x21 -> Family.TCP6;
            case 0x22 -> Family.UDP6;
            case 0x31 -> Family.UNIX_STREAM;
            case 0x32 -> Family.UNIX_DGRAM;
            default -> Family.UNKNOWN;
        };
    }

    /** §2.2: 2*4 + 2*2, 2*16 + 2*2, 2*108; unknown for UNSPEC, so TLVs cannot be located there. */
    private static int addressLength(Family family) {
        return switch (family) {
            case TCP4, UDP4 -> 12;
            case TCP6, UDP6 -> 36;
            case UNIX_STREAM, UNIX_DGRAM -> 216;
            case UNKNOWN -> 0;
        };
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
