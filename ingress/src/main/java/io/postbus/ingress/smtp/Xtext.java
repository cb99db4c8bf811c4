package io.postbus.ingress.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** RFC 3461 §4 xtext: printable ASCII except '+' and '=', with "+XX" hex escapes. */
public final class Xtext {
    private Xtext() {}

    /** Decodes xtext; returns null when it is malformed. */
    public static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length()) {
                    return null; // "+" needs two hex digits after it
                }
                String hex = s.substring(i + 1, i + 3);
                if (!hex.matches("[0-9A-F]{2}")) {
                    return null;
                }
                out.write(Integer.parseInt(hex, 16));
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return null;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
