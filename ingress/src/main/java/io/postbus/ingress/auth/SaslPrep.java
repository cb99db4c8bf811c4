package io.postbus.ingress.auth;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013, a profile of stringprep, RFC 3454) for passwords, which RFC 4616 §2 and
 * RFC 5802 §2.2 ask both sides to apply before hashing or comparing.
 *
 * <p>Passwords that SASLprep refuses (control characters, private use, broken bidi) are used
 * unprepared instead, as PostgreSQL does for SCRAM: a client that could not prepare them sends
 * them raw, and refusing would lock such a user out for no security gain. The same rule applies
 * when hashing ({@link PasswordHashes}) and when verifying, so the two always agree.
 *
 * <p>Deviation: "unassigned code point" (table A.1, Unicode 3.2) is approximated with the JDK's
 * newer Unicode tables, so a few characters assigned after 3.2 are accepted.
 */
final class SaslPrep {

    private SaslPrep() {}

    /** UTF-8 bytes to hash or verify: the SASLprep'd password, or the raw one if SASLprep refuses it. */
    static byte[] passwordBytes(char[] password) {
        if (isPrintableAscii(password)) {
            return Utf8.encode(password); // SASLprep maps printable ASCII to itself; no String made
        }
        String prepared = prepare(new String(password));
        return prepared == null ? Utf8.encode(password) : Utf8.encode(prepared.toCharArray());
    }

    /** RFC 4013 §2 for a stored string; null where the profile prohibits the input. */
    static String prepare(String input) {
        StringBuilder mapped = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            if (isMappedToNothing(cp)) {
                continue;                        // §2.1, table B.1
            }
            mapped.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp); // §2.1, table C.1.2
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC); // §2.2
        boolean randAl = false;
        boolean l = false;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (isProhibited(cp) || Character.getType(cp) == Character.UNASSIGNED) {
                return null;                     // §2.3 and §2.5
            }
            byte dir = Character.getDirectionality(cp);
            randAl |= dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            l |= dir == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (randAl && (l || !isRandAl(normalized.codePointAt(0))
                || !isRandAl(normalized.codePointBefore(normalized.length())))) {
            return null;                         // §2.4, RFC 3454 §6
        }
        return normalized;
    }

    private static boolean isPrintableAscii(char[] chars) {
        for (char c : chars) {
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRandAl(int cp) {
        byte dir = Character.getDirectionality(cp);
        return dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** Tables C.1.2 and C.2.1 to C.9 of RFC 3454, as listed in RFC 4013 §2.3. */
    private static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
                || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)                                    // C.2.1, C.2.2
                || cp == 0x06DD || cp == 0x070F || cp == 0x180E || cp == 0x200C || cp == 0x200D
                || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063) || cp == 0xFEFF
                || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)          // C.3
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE                    // C.4
                || (cp >= 0xD800 && cp <= 0xDFFF)                                               // C.5
                || (cp >= 0xFFF9 && cp <= 0xFFFD)                                               // C.2.2, C.6
                || (cp >= 0x2FF0 && cp <= 0x2FFB)                                               // C.7
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F                 // C.8
                || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x206A && cp <= 0x206F)             // C.8, C.2.2
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);                           // C.9
    }
}
