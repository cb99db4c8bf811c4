package io.postbus.delivery.smtp;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames replies out of bytes as they arrive, in whatever pieces TCP delivers them: {@link #feed}
 * what came in, then take the complete replies with {@link #next}. A line ends at LF, with the CR
 * before it removed: RFC 5321 asks for CRLF, but a client loses nothing by tolerating a bare LF
 * from a sloppy server (unlike a server reading DATA, where tolerance opens the door to smuggling).
 *
 * <p>Limits keep a hostile server from making us buffer without end. A reply that breaks the
 * syntax or the limits is reported in its place in the stream: the replies before it are still
 * handed out first, and nothing after it.
 */
public final class SmtpReplyFramer {

    /** RFC 5321 §4.5.3.1.5 allows 512 octets a reply line; real servers sometimes send more. */
    static final int MAX_LINE = 4096;
    /** Generous for an EHLO reply with many extensions. */
    static final int MAX_LINES = 256;

    private final ArrayDeque<SmtpReply> complete = new ArrayDeque<>();
    private final List<String> lines = new ArrayList<>(1);
    private byte[] line = new byte[256];
    private int length;
    private MalformedReplyException broken;

    /** Takes the next bytes received; complete replies become available to {@link #next}. */
    public void feed(byte[] data, int offset, int count) {
        for (int i = offset; i < offset + count && broken == null; i++) {
            byte b = data[i];
            if (b == '\n') {
                endOfLine();
            } else if (length == MAX_LINE) {
                broken = new MalformedReplyException("reply line longer than " + MAX_LINE + " octets");
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
                }
                line[length++] = b;
            }
        }
    }

    public void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    /**
     * The oldest complete reply not yet taken, or null when none has arrived yet.
     *
     * @throws MalformedReplyException when the next reply in the stream is broken; it stays broken
     */
    public SmtpReply next() throws MalformedReplyException {
        SmtpReply r = complete.poll();
        if (r == null && broken != null) {
            throw broken;
        }
        return r;
    }

    /** What to report when the server closes the connection while a reply is awaited. */
    public EOFException endOfStream() {
        return new EOFException("connection closed by server"
                + (length > 0 ? " in the middle of a reply line" : ""));
    }

    private void endOfLine() {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        // Servers may answer in UTF-8 (RFC 6531 §3.7.4); anything else decodes lossily.
        String l = new String(line, 0, end, StandardCharsets.UTF_8);
        length = 0;
        lines.add(l);
        try {
            SmtpReply.lineCode(l);
            // The reply goes on while lines carry a dash after the code (RFC 5321 §4.2.1).
            if (l.length() <= 3 || l.charAt(3) != '-') {
                complete.add(SmtpReply.parse(lines));
                lines.clear();
            } else if (lines.size() >= MAX_LINES) {
                throw new MalformedReplyException("reply longer than " + MAX_LINES + " lines");
            }
        } catch (MalformedReplyException e) {
            broken = e;
        }
    }
}
