package io.postbus.ingress.proxy;

import static io.postbus.ingress.proxy.ProxyBytes.LOCAL;
import static io.postbus.ingress.proxy.ProxyBytes.PROXY;
import static io.postbus.ingress.proxy.ProxyBytes.ascii;
import static io.postbus.ingress.proxy.ProxyBytes.bytes;
import static io.postbus.ingress.proxy.ProxyBytes.concat;
import static io.postbus.ingress.proxy.ProxyBytes.inet4;
import static io.postbus.ingress.proxy.ProxyBytes.inet6;
import static io.postbus.ingress.proxy.ProxyBytes.tlv;
import static io.postbus.ingress.proxy.ProxyBytes.v2;
import static io.postbus.ingress.proxy.ProxyBytes.v2WithCrc;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The binary header, spec §2.2 ("proxy-protocol.txt", HAProxy), with TLVs (§2.2.1 to §2.2.6). */
class ProxyHeaderV2Test {
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private static final byte[] V6_SRC = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01);
    private static final byte[] V6_DST = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x19);

    private ProxyParseResult parse(byte[] b) {
        return parser.parse(b, b.length);
    }

    private ProxyHeader parsed(byte[] b) {
        ProxyParseResult r = parse(b);
        assertThat(r).isInstanceOf(Parsed.class);
        assertThat(((Parsed) r).consumed()).isEqualTo(b.length);
        return ((Parsed) r).header();
    }

    private Reason reason(byte[] b) {
        ProxyParseResult r = parse(b);
        assertThat(r).isInstanceOf(Invalid.class);
        return ((Invalid) r).reason();
    }

    private static InetSocketAddress at(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port); // literals only: no lookup
    }

    @Test
    void tcp4ByteByByte() throws UnknownHostException {
        // §2.2: signature, 0x21 (v2, PROXY), 0x11 (AF_INET, STREAM), length 12, addresses, ports.
        byte[] wire = bytes(
                0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
                0x21, 0x11, 0x00, 0x0C,
                0xC0, 0x00, 0x02, 0x01,   // 192.0.2.1
                0xC6, 0x33, 0x64, 0x07,   // 198.51.100.7
                0xD4, 0x31,               // 54321
                0x00, 0x19,               // 25
                'E', 'H', 'L', 'O');      // the proxied stream, not ours
        ProxyParseResult r = parser.parse(wire, wire.length);
        assertThat(r).isInstanceOf(Parsed.class);
        Parsed p = (Parsed) r;
        assertThat(p.consumed()).isEqualTo(28);
        assertThat(p.header()).isEqualTo(new ProxyHeader(2, Command.PROXY, Family.TCP4,
                at("192.0.2.1", 54321), at("198.51.100.7", 25), List.of()));
    }

    @Test
    void tcp6() throws UnknownHostException {
        // §2.2: 0x21 TCP over IPv6, 2*16 + 2*2 = 36 bytes.
        ProxyHeader h = parsed(v2(PROXY, 0x21, inet6(V6_SRC, V6_DST, 40000, 587)));
        assertThat(h.family()).isEqualTo(Family.TCP6);
        assertThat(h.source()).isEqualTo(at("2001:db8::1", 40000));
        assertThat(h.destination()).isEqualTo(at("2001:db8::19", 587));
    }

    @Test
    void udpFamiliesCarryAddressesToo() throws UnknownHostException {
        ProxyHeader h = parsed(v2(PROXY, 0x12, inet4(new int[] {10, 0, 0, 1}, new int[] {10, 0, 0, 2}, 1, 2)));
        assertThat(h.family()).isEqualTo(Family.UDP4);
        assertThat(h.source()).isEqualTo(at("10.0.0.1", 1));
        assertThat(parsed(v2(PROXY, 0x22, inet6(V6_SRC, V6_DST, 1, 2))).family()).isEqualTo(Family.UDP6);
    }

    @Test
    void localHasNoAddressesEvenWhenSomeArePresent() {
        // §2.2: LOCAL - "use the real connection endpoints and discard the protocol block including
        // the family"; "must not assume zero is presented for LOCAL connections".
        ProxyHeader empty = parsed(v2(LOCAL, 0x00));
        assertThat(empty.command()).isEqualTo(Command.LOCAL);
        assertThat(empty.hasClientAddress()).isFalse();
        ProxyHeader withBlock = parsed(v2(LOCAL, 0x11, inet4(new int[] {1, 2, 3, 4}, new int[] {5, 6, 7, 8}, 1, 2)));
        assertThat(withBlock.source()).isNull();
        assertThat(withBlock.destination()).isNull();
        // A LOCAL whose block is too short for its family is still only skipped.
        assertThat(parsed(v2(LOCAL, 0x21, new byte[5])).command()).isEqualTo(Command.LOCAL);
    }

    @Test
    void unspecIgnoresWhateverAddressBlockIsThere() {
        // §2.2: AF_UNSPEC / UNSPEC protocol - "The receiver should ignore address information."
        ProxyHeader h = parsed(v2(PROXY, 0x00, new byte[] {1, 2, 3, 4, 5}));
        assertThat(h.family()).isEqualTo(Family.UNKNOWN);
        assertThat(h.source()).isNull();
        assertThat(h.tlvs()).isEmpty();
        assertThat(parsed(v2(PROXY, 0x10, new byte[12])).family()).as("AF_INET, UNSPEC protocol").isEqualTo(Family.UNKNOWN);
        assertThat(parsed(v2(PROXY, 0x01)).family()).as("AF_UNSPEC, STREAM").isEqualTo(Family.UNKNOWN);
    }

    @Test
    void unixAddressesAreSkipped() {
        // §2.2: AF_UNIX addresses are 2*108 bytes; they name no IP client, so the socket's own are used.
        byte[] paths = new byte[216];
        byte[] name = ascii("/run/haproxy.sock");
        System.arraycopy(name, 0, paths, 0, name.length);
        ProxyHeader h = parsed(v2(PROXY, 0x31, paths, tlv(0x02, ascii("mx.example"))));
        assertThat(h.family()).isEqualTo(Family.UNIX_STREAM);
        assertThat(h.source()).isNull();
        assertThat(h.authority()).contains("mx.example");
        assertThat(reason(v2(PROXY, 0x32, new byte[215]))).isEqualTo(Reason.LENGTH_MISMATCH);
    }

    @Test
    void lengthShorterThanTheFamilysAddressesIsInvalid() {
        // §2.2: "Address length is 2*4 + 2*2 = 12 bytes" (TCP4), 36 (TCP6).
        assertThat(reason(v2(PROXY, 0x11, new byte[11]))).isEqualTo(Reason.LENGTH_MISMATCH);
        assertThat(reason(v2(PROXY, 0x21, new byte[12]))).isEqualTo(Reason.LENGTH_MISMATCH);
        assertThat(reason(v2(PROXY, 0x11))).isEqualTo(Reason.LENGTH_MISMATCH);
    }

    @Test
    void versionCommandAndFamilyNibbles() {
        // §2.2: version must be 2; command 0 or 1; family 0..3; protocol 0..2. Judged on arrival.
        byte[] ok = v2(PROXY, 0x11, new byte[12]);
        for (int ver : new int[] {0x0, 0x1, 0x3, 0xF}) {
            byte[] b = ok.clone();
            b[12] = (byte) (ver << 4 | 1);
            assertThat(reason(b)).isEqualTo(Reason.BAD_VERSION);
            assertThat(parser.parse(b, 13)).as("refused from the 13th byte").isInstanceOf(Invalid.class);
        }
        for (int cmd : new int[] {0x2, 0xF}) {
            byte[] b = ok.clone();
            b[12] = (byte) (0x20 | cmd);
            assertThat(reason(b)).isEqualTo(Reason.BAD_COMMAND);
        }
        for (int fam : new int[] {0x41, 0x13, 0xF1, 0x1F}) {
            byte[] b = ok.clone();
            b[13] = (byte) fam;
            assertThat(reason(b)).isEqualTo(Reason.BAD_FAMILY);
            assertThat(parser.parse(b, 14)).isInstanceOf(Invalid.class);
        }
    }

    @Test
    void wrongSignatureIsInvalid() {
        byte[] b = v2(PROXY, 0x11, new byte[12]);
        for (int i = 0; i < 12; i++) {
            byte[] bad = b.clone();
            bad[i] ^= 0x20;
            assertThat(parse(bad)).as("signature byte %d", i).isInstanceOf(Invalid.class);
            assertThat(((Invalid) parse(bad)).reason()).isEqualTo(Reason.BAD_SIGNATURE);
        }
    }

    @Test
    void oversizedHeaderIsRefusedFromItsLengthField() {
        byte[] big = v2(PROXY, 0x11, new byte[12], tlv(0x04, new byte[4096]));
        assertThat(parser.parse(big, 16)).isInstanceOf(Invalid.class);
        assertThat(((Invalid) parser.parse(big, 16)).reason()).isEqualTo(Reason.TOO_LARGE);
        // A configured cap applies; the wire maximum (65535) can be allowed.
        assertThat(new ProxyHeaderParser(65535).parse(big, big.length)).isInstanceOf(Parsed.class);
        byte[] max = v2(PROXY, 0x00, new byte[65535]);
        assertThat(((Parsed) new ProxyHeaderParser(65535).parse(max, max.length)).consumed()).isEqualTo(16 + 65535);
        byte[] edge = v2(PROXY, 0x00, new byte[4096]);
        assertThat(parse(edge)).isInstanceOf(Parsed.class);
        assertThat(reason(v2(PROXY, 0x00, new byte[4097]))).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void tlvsAreListedInOrderWithHelpers() {
        // §2.2.2 AUTHORITY, §2.2.4 NOOP, §2.2.5 UNIQUE_ID, §2.2.1 ALPN, and an application type (§2.2.8).
        byte[] id = bytes(0xde, 0xad, 0xbe, 0xef);
        ProxyHeader h = parsed(v2(PROXY, 0x11, inet4(new int[] {192, 0, 2, 1}, new int[] {192, 0, 2, 2}, 1, 25),
                tlv(0x02, "mx.bücher.example".getBytes(StandardCharsets.UTF_8)),
                tlv(0x04, new byte[0]),
                tlv(0x05, id),
                tlv(0x01, ascii("smtp")),
                tlv(0xE0, bytes(1, 2, 3))));
        assertThat(h.tlvs()).extracting(ProxyTlv::type).containsExactly(0x02, 0x04, 0x05, 0x01, 0xE0);
        assertThat(h.authority()).contains("mx.bücher.example");
        assertThat(h.uniqueId()).hasValueSatisfying(v -> assertThat(v).isEqualTo(id));
        assertThat(h.alpn()).hasValueSatisfying(v -> assertThat(v).isEqualTo(ascii("smtp")));
        assertThat(h.tlv(0xE0)).contains(new ProxyTlv(0xE0, bytes(1, 2, 3)));
        assertThat(h.ssl()).isEmpty();
        assertThat(h.checksummed()).isFalse();
    }

    @Test
    void sslTlvWithSubTlvs() {
        // §2.2.6: client flags, 32-bit verify, then sub-TLVs.
        byte[] ssl = concat(bytes(0x01 | 0x02, 0, 0, 0, 0),
                tlv(0x21, ascii("TLSv1.3")),
                tlv(0x23, ascii("TLS_AES_128_GCM_SHA256")),
                tlv(0x22, ascii("client.example")),
                tlv(0x24, ascii("RSA-SHA256")),
                tlv(0x25, ascii("RSA2048")));
        ProxyHeader h = parsed(v2(PROXY, 0x11, new byte[12], tlv(0x20, ssl)));
        ProxySslInfo info = h.ssl().orElseThrow();
        assertThat(info.clientSsl()).isTrue();
        assertThat(info.clientCertificateOnConnection()).isTrue();
        assertThat(info.clientCertificateInSession()).isFalse();
        assertThat(info.clientCertificateVerified()).isTrue();
        assertThat(info.version()).contains("TLSv1.3");
        assertThat(info.cipher()).contains("TLS_AES_128_GCM_SHA256");
        assertThat(info.commonName()).contains("client.example");
        assertThat(info.signatureAlgorithm()).contains("RSA-SHA256");
        assertThat(info.keyAlgorithm()).contains("RSA2048");

        ProxySslInfo unverified = ProxySslInfo.decode(bytes(0x01 | 0x04, 0, 0, 0, 1));
        assertThat(unverified.clientCertificateVerified()).isFalse();
        assertThat(unverified.verify()).isEqualTo(1);
        assertThat(ProxySslInfo.decode(bytes(0x01, 0xff, 0xff, 0xff, 0xff)).verify()).isEqualTo(0xffff_ffffL);
        assertThat(ProxySslInfo.decode(bytes(0x01, 0, 0, 0, 0)).version()).isEmpty();
    }

    @Test
    void malformedTlvsAreInvalid() {
        byte[] addr = new byte[12];
        assertThat(reason(v2(PROXY, 0x11, addr, bytes(0x04, 0x00)))).as("truncated TLV header").isEqualTo(Reason.BAD_TLV);
        assertThat(reason(v2(PROXY, 0x11, addr, bytes(0x04, 0x00, 0x05, 1, 2)))).as("value overruns").isEqualTo(Reason.BAD_TLV);
        assertThat(reason(v2(PROXY, 0x11, addr, tlv(0x03, bytes(1, 2, 3))))).as("CRC32C not 4 bytes").isEqualTo(Reason.BAD_TLV);
        assertThat(reason(v2(PROXY, 0x11, addr, tlv(0x05, new byte[129])))).as("UNIQUE_ID > 128").isEqualTo(Reason.BAD_TLV);
        assertThat(parse(v2(PROXY, 0x11, addr, tlv(0x05, new byte[128])))).isInstanceOf(Parsed.class);
        assertThat(reason(v2(PROXY, 0x11, addr, tlv(0x02, bytes(0xC3, 0x28))))).as("AUTHORITY bad UTF-8").isEqualTo(Reason.BAD_TLV);
        assertThat(reason(v2(PROXY, 0x11, addr, tlv(0x02, ascii("mx\r\nRCPT"))))).as("AUTHORITY with CRLF").isEqualTo(Reason.BAD_TLV);
        assertThat(reason(v2(PROXY, 0x11, addr, tlv(0x20, bytes(1, 0, 0))))).as("SSL too short").isEqualTo(Reason.BAD_TLV);
        assertThat(reason(v2(PROXY, 0x11, addr, tlv(0x20, bytes(1, 0, 0, 0, 0, 0x21, 0, 9, 'T')))))
                .as("SSL sub-TLV overruns").isEqualTo(Reason.BAD_TLV);
        assertThat(reason(v2(PROXY, 0x11, addr, tlv(0x20, concat(bytes(1, 0, 0, 0, 0), tlv(0x22, bytes(0)))))))
                .as("SSL CN with NUL").isEqualTo(Reason.BAD_TLV);
    }

    @Test
    void crcImplementationsAgreeOnTheStandardCheckValue() {
        // RFC 3720 B.4 / the CRC catalogue check value for CRC-32C over "123456789".
        CRC32C jdk = new CRC32C();
        jdk.update(ascii("123456789"));
        assertThat(jdk.getValue()).isEqualTo(0xE3069283L);
        assertThat(ProxyBytes.crc32c(ascii("123456789"))).isEqualTo(0xE3069283);
    }

    @Test
    void correctCrc32cIsAccepted() {
        // §2.2.3: CRC32c of the whole header with the checksum field zeroed.
        byte[] h4 = v2WithCrc(PROXY, 0x11, inet4(new int[] {192, 0, 2, 1}, new int[] {192, 0, 2, 2}, 1, 25),
                tlv(0x02, ascii("mx.example")));
        ProxyHeader h = parsed(h4);
        assertThat(h.checksummed()).isTrue();
        assertThat(h.authority()).contains("mx.example");
        assertThat(parsed(v2WithCrc(PROXY, 0x21, inet6(V6_SRC, V6_DST, 1, 2))).checksummed()).isTrue();
        assertThat(parsed(v2WithCrc(LOCAL, 0x11, new byte[12])).checksummed()).isTrue();
    }

    @Test
    void corruptedCrc32cIsInvalid() {
        // §2.2.3: "If it is not, the receiver MUST treat the TCP connection ... as invalid."
        byte[] good = v2WithCrc(PROXY, 0x11, inet4(new int[] {192, 0, 2, 1}, new int[] {192, 0, 2, 2}, 1, 25),
                tlv(0x02, ascii("mx.example")));
        for (int i = 16; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            ProxyParseResult r = parse(bad);
            assertThat(r).as("flip in byte %d", i).isInstanceOf(Invalid.class);
        }
        byte[] addressFlipped = good.clone();
        addressFlipped[19] ^= 0x01;
        assertThat(reason(addressFlipped)).isEqualTo(Reason.CRC_MISMATCH);
        byte[] crcFlipped = good.clone();
        crcFlipped[good.length - 1] ^= 0x01;
        assertThat(reason(crcFlipped)).isEqualTo(Reason.CRC_MISMATCH);
    }

    @Test
    void twoCrcTlvsAreInvalid() {
        byte[] h = v2WithCrc(PROXY, 0x11, new byte[12], tlv(0x03, new byte[4]));
        assertThat(reason(h)).isEqualTo(Reason.BAD_TLV);
    }

    @Test
    void incompleteHeaderTellsHowManyBytesAreNeeded() {
        byte[] h = v2(PROXY, 0x21, inet6(V6_SRC, V6_DST, 1, 2));
        assertThat(parser.parse(h, 5)).isEqualTo(new NeedMore(16));
        assertThat(parser.parse(h, 15)).isEqualTo(new NeedMore(16));
        assertThat(parser.parse(h, 16)).isEqualTo(new NeedMore(52));
        assertThat(parser.parse(h, 51)).isEqualTo(new NeedMore(52));
    }
}
