package io.postbus.delivery.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames replies out of a byte stream. A line ends at LF, with the CR before it removed: RFC 5321
 * asks for CRLF, but a client loses nothing by tolerating a bare LF from a sloppy server (unlike a
 * server reading DATA, where tolerance opens the door to smuggling).
 *
 * <p>Limits keep a hostile server from making us buffer without end.
 */
final class SmtpReplyReader {

    /** RFC 5321 §4.5.3.1.5 allows 512 octets a reply line; real servers sometimes send more. */
    static final int MAX_LINE = 4096;
    /** Generous for an EHLO reply with many extensions. */
    static final int MAX_LINES = 256;

    private final InputStream in;
    private byte[] line = new byte[256];

    SmtpReplyReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads one complete reply.
     *
     * @throws EOFException            if the server closes the connection before the reply ends
     * @throws MalformedReplyException if the reply breaks the syntax or the limits
     */
    SmtpReply read() throws IOException, MalformedReplyException {
        List<String> lines = new ArrayList<>(1);
        while (true) {
            String l = readLine();
            lines.add(l);
            // The reply goes on while lines carry a dash after the code (RFC 5321 §4.2.1).
            SmtpReply.lineCode(l);
            if (l.length() <= 3 || l.charAt(3) != '-') {
                return SmtpReply.parse(lines);
            }
            if (lines.size() >= MAX_LINES) {
                throw new MalformedReplyException("reply longer than " + MAX_LINES + " lines");
            }
        }
    }

    private String readLine() throws IOException, MalformedReplyException {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by server"
                        + (length > 0 ? " in the middle of a reply line" : ""));
            }
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                // Servers may answer in UTF-8 (RFC 6531 §3.7.4); anything else decodes lossily.
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == MAX_LINE) {
                throw new MalformedReplyException("reply line longer than " + MAX_LINE + " octets");
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
            }
            line[length++] = (byte) b;
        }
    }
}
