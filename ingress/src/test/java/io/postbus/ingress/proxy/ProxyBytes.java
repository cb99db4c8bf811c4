package io.postbus.ingress.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds PROXY headers byte by byte for the tests, independently of the parser's code. */
final class ProxyBytes {
    static final byte[] SIG = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int LOCAL = 0x20;
    static final int PROXY = 0x21;

    private ProxyBytes() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** §2.2: signature, ver/cmd, family, 16-bit length, then the body (addresses and TLVs). */
    static byte[] v2(int verCmd, int fam, byte[]... body) {
        byte[] b = concat(body);
        return concat(SIG, bytes(verCmd, fam, b.length >> 8, b.length), b);
    }

    static byte[] tlv(int type, byte[] value) {
        return concat(bytes(type, value.length >> 8, value.length), value);
    }

    /** 0x11 address block: 2 x 4-byte address, 2 x 2-byte port. */
    static byte[] inet4(int[] src, int[] dst, int sport, int dport) {
        return concat(bytes(src), bytes(dst), bytes(sport >> 8, sport, dport >> 8, dport));
    }

    static byte[] inet6(byte[] src, byte[] dst, int sport, int dport) {
        return concat(src, dst, bytes(sport >> 8, sport, dport >> 8, dport));
    }

    /** A v2 header whose last TLV is a PP2_TYPE_CRC32C computed as §2.2.3 prescribes. */
    static byte[] v2WithCrc(int verCmd, int fam, byte[]... body) {
        byte[] h = v2(verCmd, fam, concat(body), tlv(0x03, new byte[4]));
        int crc = crc32c(h);
        int at = h.length - 4;
        h[at] = (byte) (crc >>> 24);
        h[at + 1] = (byte) (crc >>> 16);
        h[at + 2] = (byte) (crc >>> 8);
        h[at + 3] = (byte) crc;
        return h;
    }

    /** Bitwise CRC32c (RFC 4960 Appendix B: reflected polynomial 0x82F63B78), independent of the JDK's. */
    static int crc32c(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte d : data) {
            crc ^= d & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }
}
