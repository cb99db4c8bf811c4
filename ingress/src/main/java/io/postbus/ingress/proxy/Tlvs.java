package io.postbus.ingress.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splitting a run of TLVs (spec §2.2) and checking text values; shared by the header and its SSL sub-TLVs. */
final class Tlvs {
    private Tlvs() {}

    /** The TLVs in {@code b[from, from + length)}, or null when one overruns the run. */
    static List<ProxyTlv> split(byte[] b, int from, int length) {
        List<ProxyTlv> out = new ArrayList<>();
        int p = from;
        int end = from + length;
        while (p < end) {
            if (end - p < 3) {
                return null;
            }
            int type = b[p] & 0xff;
            int len = ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
            if (len > end - p - 3) {
                return null;
            }
            byte[] value = new byte[len];
            System.arraycopy(b, p + 3, value, 0, len);
            out.add(new ProxyTlv(type, value));
            p += 3 + len;
        }
        return out;
    }

    /**
     * Decodes well-formed UTF-8 without control characters, or returns null. The strings end up in
     * logs and Received headers, so a CR/LF or NUL from the wire must not get that far.
     */
    static String cleanText(byte[] value) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return null;
            }
        }
        return s;
    }

    /**
     * Why a TLV of a registered type has a value the spec does not allow, or null when it is fine.
     * Unregistered types are opaque and always fine.
     */
    static String problem(ProxyTlv t) {
        return switch (t.type()) {
            case ProxyTlv.PP2_TYPE_CRC32C -> t.length() == 4 ? null : "PP2_TYPE_CRC32C value is not 4 bytes (§2.2.3)";
            case ProxyTlv.PP2_TYPE_UNIQUE_ID -> t.length() <= ProxyTlv.MAX_UNIQUE_ID_LENGTH
                    ? null : "PP2_TYPE_UNIQUE_ID longer than 128 bytes (§2.2.5)";
            case ProxyTlv.PP2_TYPE_AUTHORITY -> cleanText(t.value()) != null
                    ? null : "PP2_TYPE_AUTHORITY is not clean UTF-8 (§2.2.2)";
            case ProxyTlv.PP2_TYPE_SSL -> ProxySslInfo.decode(t.value()) != null
                    ? null : "PP2_TYPE_SSL value is malformed (§2.2.6)";
            default -> null;
        };
    }
}
