package io.postbus.ingress.smtp;

import java.io.ByteArrayOutputStream;

/**
 * Collects the message after DATA, one CRLF-delimited line at a time (RFC 5321 §4.5.2).
 *
 * <p>Only a line holding exactly "." ends the message, i.e. {@code <CR><LF>.<CR><LF>}: because
 * lines are split at CRLF only, {@code <LF>.<LF>} or {@code <CR>.<CR>} stay inside a line — and a
 * bare CR or LF inside a line is refused outright (Postfix's {@code smtpd_forbid_bare_newline}),
 * which closes the SMTP smuggling family of attacks (CVE-2023-51764 and kin). Lines beginning with
 * a dot are un-stuffed. Beyond the size limit the rest is read and dropped, then refused.
 */
public final class DataCollector {
    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteArrayOutputStream out;
    private final long maxBytes;
    private long size;
    private boolean tooBig;
    private boolean eightBit;

    public DataCollector(byte[] prefix, long maxBytes) {
        this.maxBytes = maxBytes;
        this.out = new ByteArrayOutputStream(8192);
        out.writeBytes(prefix);
    }

    /** What one line did to the collection. */
    public enum LineResult { MORE, END, BARE_CR, BARE_LF }

    public LineResult line(byte[] line) {
        if (line.length == 1 && line[0] == '.') {
            return LineResult.END;
        }
        for (byte b : line) {
            if (b == '\n') {
                return LineResult.BARE_LF;
            }
            if (b == '\r') {
                return LineResult.BARE_CR;
            }
            if (b < 0) {
                eightBit = true;
            }
        }
        int start = line.length > 0 && line[0] == '.' ? 1 : 0;
        size += line.length - start + 2;
        if (size > maxBytes) {
            tooBig = true;
        }
        if (!tooBig) {
            out.write(line, start, line.length - start);
            out.writeBytes(CRLF);
        }
        return LineResult.MORE;
    }

    public boolean isTooBig() {
        return tooBig;
    }

    /** Any byte above 127 seen: the message is not 7-bit clean. */
    public boolean hasEightBit() {
        return eightBit;
    }

    public long size() {
        return size;
    }

    /** The collected message (with the prefix given at construction); only valid if not too big. */
    public byte[] message() {
        if (tooBig) {
            throw new IllegalStateException("message exceeded the size limit");
        }
        return out.toByteArray();
    }
}
