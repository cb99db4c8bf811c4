package io.postbus.ingress.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Strict UTF-8 (RFC 3629) for secrets: decodes to {@code char[]} so passwords never become Strings. */
final class Utf8 {

    private Utf8() {}

    /** The characters of {@code bytes[from, to)}, or null if they are not well-formed UTF-8. */
    static char[] decode(byte[] bytes, int from, int to) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(to - from);
        try {
            decoder.reset();
            var result = decoder.decode(ByteBuffer.wrap(bytes, from, to - from), out, true);
            if (result.isError()) {
                return null;
            }
            result = decoder.flush(out);
            if (result.isError()) {
                return null;
            }
            return Arrays.copyOf(out.array(), out.position());
        } finally {
            Arrays.fill(out.array(), '\0');
        }
    }

    /** A String for non-secret fields (user names), or null if not well-formed UTF-8. */
    static String decodeString(byte[] bytes, int from, int to) {
        char[] chars = decode(bytes, from, to);
        return chars == null ? null : new String(chars);
    }

    /** UTF-8 bytes of {@code chars}; unpaired surrogates become '?' (they cannot come off the wire). */
    static byte[] encode(char[] chars) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out;
        try {
            out = encoder.encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 encoder set to replace reported an error", e);
        }
        byte[] bytes = Arrays.copyOf(out.array(), out.limit());
        Arrays.fill(out.array(), (byte) 0);
        return bytes;
    }

    static boolean containsNul(char[] chars) {
        for (char c : chars) {
            if (c == '\0') {
                return true;
            }
        }
        return false;
    }
}
