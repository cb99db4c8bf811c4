package io.postbus.auth.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One header field exactly as it appeared on the wire: name, colon, value, folding and the final CRLF.
 * DKIM and ARC hash these bytes (simple canonicalization) or a normalised copy (relaxed), so nothing
 * here may be re-encoded: the raw bytes are the truth, the strings are conveniences.
 */
public final class HeaderField {
    private final byte[] raw;
    private final int colon;
    /*
     * The name as a string, made on first use: signing and verifying look the same fields up by
     * name a dozen times each (one scan per signed header name), and a new String per comparison
     * was most of that work. A racy first use at worst computes the same immutable String twice.
     */
    private String name;
    private String lowerName;

    /**
     * @param raw the field's bytes, starting with the name and ending with its CRLF (the last field of a
     *            header block with no body may end without one)
     */
    public HeaderField(byte[] raw) {
        this.raw = Objects.requireNonNull(raw, "raw").clone();
        this.colon = indexOf(this.raw, (byte) ':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a header field needs a name followed by ':'");
        }
    }

    /** Builds a field from a name and an unfolded or already folded value; appends CRLF. */
    public static HeaderField of(String name, String value) {
        return new HeaderField((name + ":" + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The name as written (case preserved, trailing white space before the colon removed). */
    public String name() {
        String n = name;
        if (n == null) {
            int end = colon;
            while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t')) {
                end--;
            }
            n = new String(raw, 0, end, StandardCharsets.UTF_8);
            name = n;
        }
        return n;
    }

    /** Lower-case name, for the case-insensitive comparisons RFC 5322 §1.2.2 calls for. */
    public String lowerName() {
        String n = lowerName;
        if (n == null) {
            n = name().toLowerCase(Locale.ROOT);
            lowerName = n;
        }
        return n;
    }

    public boolean hasName(String name) {
        return name().equalsIgnoreCase(name);
    }

    /** The bytes after the colon, up to but excluding the final CRLF; folding kept. */
    public byte[] rawValue() {
        return Arrays.copyOfRange(raw, colon + 1, contentEnd());
    }

    /** The value as text with folding CRLFs removed (RFC 5322 §2.2.3 unfolding), not trimmed. */
    public String unfoldedValue() {
        return new String(rawValue(), StandardCharsets.UTF_8).replace("\r\n", "").replace("\n", "");
    }

    /** The field's bytes as on the wire, including the final CRLF. */
    public byte[] raw() {
        return raw.clone();
    }

    /** Length of the raw field, without copying it. */
    public int length() {
        return raw.length;
    }

    private int contentEnd() {
        int end = raw.length;
        if (end >= 2 && raw[end - 2] == '\r' && raw[end - 1] == '\n') {
            return end - 2;
        }
        if (end >= 1 && raw[end - 1] == '\n') {
            return end - 1;
        }
        return end;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderField h && Arrays.equals(raw, h.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return new String(raw, StandardCharsets.UTF_8).stripTrailing();
    }
}
