package io.postbus.loadtest.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The message the benchmark sends: a few headers that differ per message (Message-ID) and a body
 * of exactly {@code bodySize} bytes, like smtp-source's {@code -l} payload. Body lines are at
 * most 80 bytes with their CRLF, none starts with a dot (nothing needs dot-stuffing), and the body
 * ends with CRLF, so {@link #END_OF_DATA} completes the {@code CRLF.CRLF} terminator.
 *
 * <p>Immutable and shared by every session; a session fills its own buffer with
 * {@link #body(byte[], SplittableRandom)}.
 */
public final class BenchMessage {

    /** Sent after the body: with the body's final CRLF it is the end-of-data mark. */
    static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] TEXT_LINE =
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
    /** 76 base64 characters and CRLF, as MIME writes them (RFC 2045 §6.8). */
    private static final int RANDOM_LINE = 78;
    /** Random lines to pick from: 1 MiB, so two messages in one Kafka batch rarely share any. */
    private static final int RANDOM_POOL_LINES = (1 << 20) / RANDOM_LINE;

    private final String sender;
    private final String recipient;
    private final int bodySize;
    private final BodyContent content;
    private final byte[] pool;

    public BenchMessage(String sender, String recipient, int bodySize, BodyContent content) {
        this.sender = sender;
        this.recipient = recipient;
        this.bodySize = bodySize;
        this.content = content;
        this.pool = content == BodyContent.TEXT ? textBody(bodySize) : randomPool(20_231_121L);
    }

    /** The header block of message {@code id}, ending with the empty line before the body. */
    public byte[] headers(String id) {
        return ("From: <" + sender + ">\r\n"
                + "To: <" + recipient + ">\r\n"
                + "Subject: accept benchmark " + id + "\r\n"
                + "Message-ID: <" + id + "@bench.example.net>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The next body: for {@link BodyContent#TEXT} the one shared array, for
     * {@link BodyContent#RANDOM} {@code scratch} (of {@code bodySize} bytes) filled from a random
     * place in the pool. Callers must not change the returned array.
     */
    public byte[] body(byte[] scratch, SplittableRandom random) {
        if (content == BodyContent.TEXT) {
            return pool;
        }
        fill(scratch, pool, RANDOM_LINE, random.nextInt(RANDOM_POOL_LINES));
        return scratch;
    }

    int bodySize() {
        return bodySize;
    }

    /** {@code size} bytes of the same text line over and over. */
    static byte[] textBody(int size) {
        byte[] out = new byte[size];
        fill(out, TEXT_LINE, TEXT_LINE.length, 0);
        return out;
    }

    /**
     * Fills {@code out} with whole lines of {@code pool} (each {@code lineLength} bytes ending in
     * CRLF), starting at line {@code startLine} and wrapping around, then a shorter last line so
     * that {@code out} ends with CRLF exactly at its end.
     */
    static void fill(byte[] out, byte[] pool, int lineLength, int startLine) {
        int lines = pool.length / lineLength;
        int line = startLine;
        int pos = 0;
        while (out.length - pos >= lineLength) {
            System.arraycopy(pool, (line++ % lines) * lineLength, out, pos, lineLength);
            pos += lineLength;
        }
        int rest = out.length - pos;
        if (rest == 1) {
            // One byte cannot be a line of its own: lengthen the last line by one letter instead.
            if (pos == 0) {
                throw new IllegalArgumentException("a body of 1 byte cannot end with CRLF");
            }
            out[pos - 2] = 'A';
            out[pos - 1] = '\r';
            out[pos] = '\n';
        } else if (rest > 1) {
            System.arraycopy(pool, (line % lines) * lineLength, out, pos, rest - 2);
            out[out.length - 2] = '\r';
            out[out.length - 1] = '\n';
        }
    }

    private static byte[] randomPool(long seed) {
        byte[] raw = new byte[RANDOM_POOL_LINES * 57]; // 57 bytes make 76 base64 characters
        new Random(seed).nextBytes(raw);
        byte[] encoded = Base64.getEncoder().encode(raw);
        byte[] pool = new byte[RANDOM_POOL_LINES * RANDOM_LINE];
        for (int i = 0; i < RANDOM_POOL_LINES; i++) {
            System.arraycopy(encoded, i * 76, pool, i * RANDOM_LINE, 76);
            pool[i * RANDOM_LINE + 76] = '\r';
            pool[i * RANDOM_LINE + 77] = '\n';
        }
        return pool;
    }
}
