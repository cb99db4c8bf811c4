package io.postbus.delivery.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * One BDAT chunk of a message (RFC 3030 §2): a byte range, and whether it is the LAST.
 *
 * @param offset where the chunk starts in the message
 * @param length its size in octets, the n of "BDAT n"
 * @param last   true for the chunk that ends the message
 */
record BdatChunk(int offset, int length, boolean last) {

    /**
     * Whether to use BDAT when the server offers CHUNKING. The one switch to turn it off (then a
     * BINARYMIME message fails with 5.6.3 everywhere, as it does with Postfix, which never sends BDAT).
     */
    static final boolean USE_CHUNKING = true;

    /**
     * The largest chunk. RFC 3030 §2: an error such as a full disk can only be reported after a
     * whole chunk has been sent, so a chunk should stay modest; 1 MiB is one quick round trip.
     * Most messages fit in one, so they go as a single "BDAT n LAST".
     */
    static final int MAX_SIZE = 1 << 20;

    BdatChunk {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative chunk bounds: " + offset + "+" + length);
        }
    }

    /** The chunks of a message of {@code size} octets; one "BDAT 0 LAST" for an empty one. */
    static List<BdatChunk> split(int size, int maxSize) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + maxSize);
        }
        List<BdatChunk> chunks = new ArrayList<>(size / maxSize + 1);
        int offset = 0;
        do {
            int length = Math.min(maxSize, size - offset);
            chunks.add(new BdatChunk(offset, length, offset + length == size));
            offset += length;
        } while (offset < size);
        return chunks;
    }

    /** "BDAT n" or "BDAT n LAST" (RFC 3030 §2 bdat-cmd). */
    String command() {
        return last ? "BDAT " + length + " LAST" : "BDAT " + length;
    }

    /** The phase whose reply ends this chunk; the LAST one decides delivery like the final dot. */
    SmtpPhase phase() {
        return last ? SmtpPhase.BDAT_LAST : SmtpPhase.BDAT;
    }
}
