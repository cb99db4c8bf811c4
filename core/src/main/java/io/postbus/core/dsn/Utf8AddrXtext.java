package io.postbus.core.dsn;

import java.util.Locale;

/**
 * RFC 6533 §3's 7-bit form of an internationalized address for the "utf-8" address type of
 * ORCPT: printable ASCII stays as it is except "\", "+" and "=", and every other character
 * (controls, space, non-ASCII) becomes {@code \x{HEXPOINT}}, the code point in upper-case hex
 * without leading zeros. The result contains no "+" or "=", so it is valid xtext as it stands.
 * Used where we write such an address: DSN fields (RFC 6533 §4) and ORCPT on RCPT TO.
 */
public final class Utf8AddrXtext {
    public static final String ADDR_TYPE = "utf-8";

    private Utf8AddrXtext() {}

    /** utf-8-addr-xtext of a decoded address. */
    public static String encode(String address) {
        StringBuilder out = new StringBuilder(address.length() + 16);
        address.codePoints().forEach(cp -> {
            if (isQchar(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append("\\x{").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append('}');
            }
        });
        return out.toString();
    }

    /**
     * The address behind utf-8-addr-xtext or utf-8-addr-unitext (both may contain
     * {@code \x{HEXPOINT}}); null when an escape is malformed or names no Unicode scalar value.
     */
    public static String decode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            int close = value.indexOf('}', i);
            if (!value.startsWith("\\x{", i) || close < 0 || close - (i + 3) < 1 || close - (i + 3) > 6) {
                return null;
            }
            int cp;
            try {
                cp = Integer.parseInt(value.substring(i + 3, close), 16);
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return null;
            }
            out.appendCodePoint(cp);
            i = close + 1;
        }
        return out.toString();
    }

    /** RFC 6533 QCHAR: %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e (printable ASCII but "+", "=", "\"). */
    private static boolean isQchar(int cp) {
        return cp >= 0x21 && cp <= 0x7e && cp != '+' && cp != '=' && cp != '\\';
    }
}
