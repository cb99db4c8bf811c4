package io.postbus.auth.dkim;

import java.util.List;

/**
 * Writes a tag=value header field folded so that no line passes 78 characters (RFC 5322 §2.1.1), folding
 * only where RFC 6376 §3.2 allows FWS: between tags, after a ':' in a colon list, anywhere inside base64.
 * Shared by DKIM-Signature and usable for ARC's tag-list headers.
 */
public final class TagFolder {
    private static final int MAX_LINE = 78;
    private static final String FOLD = "\r\n\t";

    private final StringBuilder text = new StringBuilder(512);
    private int lineLength;
    private boolean first = true;

    /** Starts a field: {@code name} and its colon. */
    public TagFolder(String fieldName) {
        text.append(fieldName).append(':');
        lineLength = fieldName.length() + 1;
    }

    /** A tag that is never broken (short values). */
    public TagFolder plain(String name, String value) {
        String tag = name + "=" + value;
        startTag(tag.length());
        append(tag);
        return this;
    }

    /** A colon-separated list (h=), which may fold after any ':'. */
    public TagFolder colonList(String name, List<String> items) {
        String whole = name + "=" + String.join(":", items);
        boolean fits = startTag(whole.length());
        if (fits) {
            append(whole);
            return this;
        }
        append(name + "=");
        for (int i = 0; i < items.size(); i++) {
            String atom = items.get(i) + (i < items.size() - 1 ? ":" : "");
            int reserve = i == items.size() - 1 ? 1 : 0; // room for the ';' that follows the tag
            if (lineLength + atom.length() + reserve > MAX_LINE && lineLength > 1) {
                fold();
            }
            append(atom);
        }
        return this;
    }

    /** A base64 value (bh=), which may fold anywhere. */
    public TagFolder base64(String name, String value) {
        String whole = name + "=" + value;
        if (!startTag(whole.length())) {
            append(name + "=");
        } else {
            append(whole);
            return this;
        }
        appendBase64(value);
        return this;
    }

    /**
     * Ends the field with {@code name=} on a line of its own and returns the text up to there: the b= tag,
     * whose value is added by {@link #withValue} once the signature over this very text is known.
     */
    public String openLastTag(String name) {
        if (!first) {
            text.append(';');
        }
        text.append(FOLD);
        lineLength = 1;
        first = false;
        append(name + "=");
        return text.toString();
    }

    /** The field text after {@link #openLastTag} with the last tag's base64 value folded in, plus CRLF. */
    public String withValue(String base64Value) {
        appendBase64(base64Value);
        return text + "\r\n";
    }

    /** The field text with a final CRLF (when the last tag was not opened with {@link #openLastTag}). */
    public String finish() {
        return text + "\r\n";
    }

    /** Writes the separator before a tag; true when the whole tag fits on the current line. */
    private boolean startTag(int tagLength) {
        String separator = first ? "" : ";";
        first = false;
        text.append(separator);
        lineLength += separator.length();
        if (lineLength + 1 + tagLength + 1 <= MAX_LINE) {
            text.append(' ');
            lineLength++;
            return true;
        }
        fold();
        return lineLength + tagLength + 1 <= MAX_LINE;
    }

    private void appendBase64(String value) {
        int pos = 0;
        while (pos < value.length()) {
            int room = MAX_LINE - 1 - lineLength; // keep room for a ";" after the value
            if (room <= 0) {
                fold();
                continue;
            }
            int end = Math.min(value.length(), pos + room);
            append(value.substring(pos, end));
            pos = end;
        }
    }

    private void fold() {
        text.append(FOLD);
        lineLength = 1;
    }

    private void append(String s) {
        text.append(s);
        lineLength += s.length();
    }
}
