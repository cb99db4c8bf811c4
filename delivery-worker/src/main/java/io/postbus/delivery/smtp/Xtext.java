package io.postbus.delivery.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * RFC 3461 §4 xtext, the encoding of ENVID and of ORCPT's address: every octet outside "!" to "~",
 * and "+" and "=", becomes "+" and two upper-case hex digits. Postbus keeps these values decoded
 * (the ingress decodes them once on receipt), so they are encoded exactly once, here, on the way out.
 */
public final class Xtext {
    private Xtext() {}

    /** The xtext of {@code value}'s UTF-8 octets. */
    public static String encode(String value) {
        byte[] octets = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(octets.length + 8);
        for (byte b : octets) {
            int c = b & 0xff;
            if (c < '!' || c > '~' || c == '+' || c == '=') {
                out.append('+').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
