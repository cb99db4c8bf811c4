package io.postbus.auth.dkim;

import io.postbus.auth.message.HeaderField;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The two canonicalization algorithms of RFC 6376 §3.4, for header fields and bodies. ARC uses the
 * same algorithms (RFC 8617 §4.1.2 and §5.1.1). Work is done on bytes so that 8-bit header text and
 * bodies hash exactly as received.
 */
public enum Canonicalization {
    /** §3.4.1 and §3.4.3: the bytes as they are, except trailing empty body lines. */
    SIMPLE,
    /** §3.4.2 and §3.4.4: case-folded names, unfolded and collapsed white space. */
    RELAXED;

    /** The tag value spelling ({@code simple}, {@code relaxed}). */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Canonicalization> fromTag(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("simple")) {
            return Optional.of(SIMPLE);
        }
        if (v.equals("relaxed")) {
            return Optional.of(RELAXED);
        }
        return Optional.empty();
    }

    /** The canonical form of one header field, ending in CRLF. */
    public byte[] header(HeaderField field) {
        byte[] raw = field.raw();
        if (this == SIMPLE) {
            return withCrlf(raw);
        }
        return relaxedHeader(raw);
    }

    /** Feeds the canonical body to {@code sink}. */
    public void body(byte[] message, int from, int to, BodySink sink) {
        new BodyWriter(this, sink).write(message, from, to);
    }

    /** The canonical body as bytes (tests and small bodies). */
    public byte[] body(byte[] message, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, to - from + 2));
        body(message, from, to, out::write);
        return out.toByteArray();
    }

    /** Where canonical body bytes go: a digest, a counter, a buffer. The array is reused after each call. */
    @FunctionalInterface
    public interface BodySink {
        void write(byte[] bytes, int offset, int length);
    }

    private static byte[] withCrlf(byte[] raw) {
        int n = raw.length;
        if (n >= 2 && raw[n - 2] == '\r' && raw[n - 1] == '\n') {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 2);
        out.write(raw, 0, n);
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * §3.4.2: lower-case the name; unfold; every run of WSP becomes one SP; no WSP at the end of the
     * value nor around the colon.
     */
    private static byte[] relaxedHeader(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 2);
        int colon = 0;
        while (raw[colon] != ':') {
            colon++;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(raw[nameEnd - 1])) {
            nameEnd--;
        }
        for (int i = 0; i < nameEnd; i++) {
            byte b = raw[i];
            out.write(b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        out.write(':');
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\r' || b == '\n') {
                continue; // unfolding: the CRLF goes, the WSP after it is handled below
            }
            if (isWsp(b)) {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                out.write(' ');
                pendingSpace = false;
            }
            out.write(b);
            started = true;
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    /**
     * Streams body lines, holding back empty lines until something follows them (§3.4.3, §3.4.4).
     * The canonical bytes are gathered in a buffer and handed on in large pieces: relaxed
     * canonicalization cuts every line at each run of white space, and one digest update per word
     * cost more than the hashing itself.
     */
    private static final class BodyWriter {
        private static final byte[] CRLF = {'\r', '\n'};
        private static final int BUFFER_SIZE = 8192;
        private final Canonicalization mode;
        private final BodySink sink;
        private final byte[] buffer = new byte[BUFFER_SIZE];
        private int buffered;
        private int pendingEmptyLines;
        private boolean wroteAnything;

        BodyWriter(Canonicalization mode, BodySink sink) {
            this.mode = mode;
            this.sink = sink;
        }

        void write(byte[] m, int from, int to) {
            int lineStart = from;
            for (int i = from; i < to; i++) {
                if (m[i] == '\n' && i > from && m[i - 1] == '\r' && i - 1 >= lineStart) {
                    line(m, lineStart, i - 1);
                    lineStart = i + 1;
                }
            }
            if (lineStart < to) {
                line(m, lineStart, to); // a last line without CRLF gets one (both algorithms)
            }
            if (!wroteAnything && mode == SIMPLE) {
                emit(CRLF, 0, 2); // §3.4.3: an empty body is one CRLF; relaxed leaves it empty
            }
            flush();
        }

        private void line(byte[] m, int from, int to) {
            if (mode == RELAXED) {
                to = trimTrailingWsp(m, from, to);
            }
            if (from == to) {
                pendingEmptyLines++;
                return;
            }
            for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                emit(CRLF, 0, 2);
            }
            if (mode == SIMPLE) {
                emit(m, from, to - from);
            } else {
                collapseWsp(m, from, to);
            }
            emit(CRLF, 0, 2);
            wroteAnything = true;
        }

        private void collapseWsp(byte[] m, int from, int to) {
            int runStart = from;
            int i = from;
            while (i < to) {
                if (isWsp(m[i])) {
                    if (i > runStart) {
                        emit(m, runStart, i - runStart);
                    }
                    while (i < to && isWsp(m[i])) {
                        i++;
                    }
                    emitByte((byte) ' ');
                    runStart = i;
                } else {
                    i++;
                }
            }
            if (to > runStart) {
                emit(m, runStart, to - runStart);
            }
        }

        private void emit(byte[] b, int off, int len) {
            if (len > BUFFER_SIZE - buffered) {
                flush();
                if (len > BUFFER_SIZE) {
                    sink.write(b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buffer, buffered, len);
            buffered += len;
        }

        private void emitByte(byte b) {
            if (buffered == BUFFER_SIZE) {
                flush();
            }
            buffer[buffered++] = b;
        }

        private void flush() {
            if (buffered > 0) {
                sink.write(buffer, 0, buffered);
                buffered = 0;
            }
        }

        private static int trimTrailingWsp(byte[] m, int from, int to) {
            while (to > from && isWsp(m[to - 1])) {
                to--;
            }
            return to;
        }
    }
}
