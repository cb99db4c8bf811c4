package io.postbus.delivery.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The DATA transparency of RFC 5321 §4.5.2: a line that begins with "." gets a second "." so the
 * server cannot mistake it for the end of data, then the message ends with CRLF "." CRLF.
 *
 * <p>Only CRLF ends a line. A bare CR or LF inside a line is sent untouched, byte for byte, as is
 * every 8-bit octet: a signed message must arrive exactly as it was signed (DKIM).
 */
public final class DotStuffing {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    private DotStuffing() {
    }

    /**
     * Writes the message dot-stuffed, adds a CRLF if it does not end with one, then ".CRLF".
     * Unchanged runs go out in one write each, so a buffered stream sees few large writes.
     */
    public static void write(byte[] message, OutputStream out) throws IOException {
        int runStart = 0;
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (lineStart && b == '.') {
                out.write(message, runStart, i - runStart);
                out.write('.');
                runStart = i; // the original dot starts the next run
            }
            lineStart = b == '\n' && i > 0 && message[i - 1] == '\r';
        }
        out.write(message, runStart, message.length - runStart);
        if (message.length > 0 && !endsWithCrlf(message)) {
            out.write(CRLF);
        }
        out.write(END);
    }

    /** {@link #write} into a new array; for tests and small messages. */
    public static byte[] encode(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 64);
        try {
            write(message, out);
        } catch (IOException e) {
            throw new AssertionError("ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /**
     * The size to declare with SIZE= (RFC 1870 §3): the octets sent after the 354, with the CRLF
     * we add, but without the doubled dots and without the final ".CRLF".
     */
    public static long declaredSize(byte[] message) {
        return message.length + (message.length > 0 && !endsWithCrlf(message) ? 2 : 0);
    }

    /** True if any octet has the high bit set, which calls for BODY=8BITMIME (RFC 6152). */
    public static boolean hasEightBit(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithCrlf(byte[] m) {
        return m.length >= 2 && m[m.length - 2] == '\r' && m[m.length - 1] == '\n';
    }
}
