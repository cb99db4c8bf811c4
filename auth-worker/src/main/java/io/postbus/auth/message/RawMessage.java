package io.postbus.auth.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 5322 message split into its header fields and body without decoding anything: DKIM, ARC and
 * the Authentication-Results editor all need the exact bytes.
 *
 * <p>The header ends at the first empty line (CRLF CRLF). A message with no empty line is all header
 * and an empty body. Bare LF line ends are accepted so that stored test corpora can be read, but
 * ingress only ever queues CRLF mail (bare LF is refused at the door), so production input is CRLF.
 */
public final class RawMessage {
    private final byte[] bytes;
    private final List<HeaderField> headers;
    private final int bodyStart;

    private RawMessage(byte[] bytes, List<HeaderField> headers, int bodyStart) {
        this.bytes = bytes;
        this.headers = headers;
        this.bodyStart = bodyStart;
    }

    /** Splits a message; never fails: a line that is neither a field nor a continuation ends the header. */
    public static RawMessage parse(byte[] message) {
        Objects.requireNonNull(message, "message");
        List<HeaderField> fields = new ArrayList<>();
        int pos = 0;
        int fieldStart = -1;
        while (pos < message.length) {
            int lineEnd = lineEnd(message, pos);
            boolean empty = lineEnd == pos || (lineEnd == pos + 1 && message[pos] == '\r');
            boolean continuation = message[pos] == ' ' || message[pos] == '\t';
            if (empty) {
                addField(fields, message, fieldStart, pos);
                int next = Math.min(message.length, lineEnd + 1);
                return new RawMessage(message, Collections.unmodifiableList(fields), next);
            }
            if (!continuation || fieldStart < 0) {
                addField(fields, message, fieldStart, pos);
                if (!hasColon(message, pos, lineEnd)) {
                    // Not a header line: treat the rest as body, as RFC 5322 readers do with garbage.
                    return new RawMessage(message, Collections.unmodifiableList(fields), pos);
                }
                fieldStart = pos;
            }
            pos = Math.min(message.length, lineEnd + 1);
        }
        addField(fields, message, fieldStart, message.length);
        return new RawMessage(message, Collections.unmodifiableList(fields), message.length);
    }

    public List<HeaderField> headers() {
        return headers;
    }

    /** Fields with this name, in message order (top first). */
    public List<HeaderField> headers(String name) {
        List<HeaderField> out = new ArrayList<>();
        for (HeaderField h : headers) {
            if (h.hasName(name)) {
                out.add(h);
            }
        }
        return out;
    }

    /** Offset of the first body byte in {@link #bytes()}. */
    public int bodyStart() {
        return bodyStart;
    }

    public int bodyLength() {
        return bytes.length - bodyStart;
    }

    /** The whole message; the array is shared, not copied, and must not be modified. */
    public byte[] bytes() {
        return bytes;
    }

    public byte[] body() {
        return Arrays.copyOfRange(bytes, bodyStart, bytes.length);
    }

    /** True when the header block was terminated by an empty line (false for header-only messages). */
    public boolean hasSeparator() {
        return bodyStart < bytes.length || endsWithEmptyLine();
    }

    private boolean endsWithEmptyLine() {
        int n = bytes.length;
        return n >= 2 && bytes[n - 1] == '\n' && (bytes[n - 2] == '\n' || (n >= 3 && bytes[n - 2] == '\r' && bytes[n - 3] == '\n'));
    }

    private static void addField(List<HeaderField> fields, byte[] message, int start, int end) {
        if (start >= 0 && end > start) {
            fields.add(new HeaderField(Arrays.copyOfRange(message, start, end)));
        }
    }

    /** A field name then ':', with no CR before it (a bare CR there is not a field; HeaderField agrees). */
    private static boolean hasColon(byte[] message, int from, int to) {
        for (int i = from; i < to; i++) {
            if (message[i] == ':') {
                return i > from;
            }
            if (message[i] == '\r') {
                return false;
            }
        }
        return false;
    }

    /** Index of the LF ending the line that starts at {@code from}, or the message length. */
    private static int lineEnd(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == '\n') {
                return i;
            }
        }
        return message.length;
    }
}
