package io.postbus.auth.dkim;

import io.postbus.auth.message.HeaderField;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the input the header hash is computed over (RFC 6376 §3.7 and §5.4.2), shared by
 * DKIM-Signature, ARC-Message-Signature and ARC-Seal.
 */
public final class SignedHeaders {
    private SignedHeaders() {}

    /**
     * Picks the fields an h= list names, per §5.4.2: for a name listed n times, the n bottom-most
     * instances, bottom-up; a name with no (more) instances contributes nothing (which is how
     * oversigning works: listing From twice forbids adding a second From).
     *
     * @param headers  the message's fields, top first
     * @param excluded a field never to pick (the signature being verified), or null
     */
    public static List<HeaderField> select(List<HeaderField> headers, List<String> names, HeaderField excluded) {
        Map<String, Integer> used = new HashMap<>();
        List<HeaderField> out = new ArrayList<>(names.size());
        for (String name : names) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            int skip = used.getOrDefault(key, 0);
            int seen = 0;
            for (int i = headers.size() - 1; i >= 0; i--) {
                HeaderField h = headers.get(i);
                if (h == excluded || !h.lowerName().equals(key)) {
                    continue;
                }
                if (seen++ == skip) {
                    out.add(h);
                    break;
                }
            }
            used.put(key, skip + 1);
        }
        return out;
    }

    /**
     * The header hash input: each selected field canonicalized, then the signature field itself with
     * its b= value blanked and without its final CRLF (§3.7).
     */
    public static byte[] hashInput(Canonicalization c, List<HeaderField> selected, HeaderField signature) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        for (HeaderField h : selected) {
            out.writeBytes(c.header(h));
        }
        byte[] sig = c.header(withEmptySignature(signature));
        out.write(sig, 0, sig.length - 2);
        return out.toByteArray();
    }

    /**
     * The field with the value of its b= tag deleted, white space around it included (§3.7), every other
     * byte untouched. A field with no b= tag is returned as is.
     */
    public static HeaderField withEmptySignature(HeaderField field) {
        byte[] raw = field.raw();
        int colon = 0;
        while (raw[colon] != ':') {
            colon++;
        }
        int specStart = colon + 1;
        while (specStart <= raw.length) {
            int specEnd = indexOf(raw, (byte) ';', specStart);
            int eq = indexOf(raw, (byte) '=', specStart);
            if (eq < specEnd && isTagB(raw, specStart, eq)) {
                int valueEnd = specEnd;
                if (specEnd == raw.length) {
                    valueEnd = trailingLineEnd(raw);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
                out.write(raw, 0, eq + 1);
                out.write(raw, valueEnd, raw.length - valueEnd);
                return new HeaderField(out.toByteArray());
            }
            specStart = specEnd + 1;
        }
        return field;
    }

    private static boolean isTagB(byte[] raw, int from, int to) {
        int start = from;
        int end = to;
        while (start < end && isFws(raw[start])) {
            start++;
        }
        while (end > start && isFws(raw[end - 1])) {
            end--;
        }
        return end - start == 1 && raw[start] == 'b';
    }

    private static boolean isFws(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static int trailingLineEnd(byte[] raw) {
        int n = raw.length;
        if (n >= 2 && raw[n - 2] == '\r' && raw[n - 1] == '\n') {
            return n - 2;
        }
        return n >= 1 && raw[n - 1] == '\n' ? n - 1 : n;
    }

    private static int indexOf(byte[] raw, byte b, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return raw.length;
    }
}
