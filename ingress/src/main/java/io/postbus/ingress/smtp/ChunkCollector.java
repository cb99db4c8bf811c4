package io.postbus.ingress.smtp;

import java.io.ByteArrayOutputStream;

/**
 * Collects the chunks of a BDAT transfer (RFC 3030 §2): octets taken verbatim, no dot-stuffing and
 * no line structure, behind our Received header. Past the size limit the rest is dropped.
 */
final class ChunkCollector {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    private final long maxBytes;
    private long size;
    private boolean tooBig;

    ChunkCollector(byte[] prefix, long maxBytes) {
        this.maxBytes = maxBytes;
        out.writeBytes(prefix);
    }

    void add(byte[] chunk) {
        size += chunk.length;
        if (size > maxBytes) {
            tooBig = true;
        }
        if (!tooBig) {
            out.writeBytes(chunk);
        }
    }

    boolean isTooBig() {
        return tooBig;
    }

    byte[] message() {
        return out.toByteArray();
    }
}
