package io.postbus.auth.arc;

import io.postbus.auth.message.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the header fields a sealer adds. Tags come in the order given, separated by "; ", with no other
 * white space: the "standardized" form of the ValiMail ARC suite, which is also what its expected
 * signatures were computed over. Long fields are folded only where "; " already puts a space, so the
 * relaxed canonical form (RFC 6376 §3.4.2), and with it every signature, is the same folded or not.
 */
final class ArcHeaderText {
    /** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; a single tag may still exceed it. */
    private static final int LINE = 78;

    private ArcHeaderText() {}

    /** A tag=value field such as ARC-Seal or ARC-Message-Signature. */
    static HeaderField tagField(String name, List<String> tagSpecs) {
        return field(name, tagSpecs);
    }

    /**
     * ARC-Authentication-Results: {@code i=N; } followed by the payload (RFC 8617 §4.1.1). A payload that
     * the caller already folded is kept as it is.
     */
    static HeaderField authenticationResults(int instance, String payload) {
        String value = "i=" + instance + "; " + payload.strip();
        if (value.contains("\r\n")) {
            return new HeaderField(("ARC-Authentication-Results: " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return field("ARC-Authentication-Results", List.of(value.split("; ", -1)));
    }

    private static HeaderField field(String name, List<String> parts) {
        StringBuilder out = new StringBuilder(name).append(':');
        int lineLength = out.length();
        for (int k = 0; k < parts.size(); k++) {
            String part = parts.get(k);
            boolean last = k == parts.size() - 1;
            int needed = 1 + part.length() + (last ? 0 : 1);
            if (k > 0 && lineLength + needed > LINE) {
                out.append("\r\n\t");
                lineLength = 1;
            } else {
                out.append(' ');
                lineLength++;
            }
            out.append(part);
            lineLength += part.length();
            if (!last) {
                out.append(';');
                lineLength++;
            }
        }
        out.append("\r\n");
        return new HeaderField(out.toString().getBytes(StandardCharsets.UTF_8));
    }
}
