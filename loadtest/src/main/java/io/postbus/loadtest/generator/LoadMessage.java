package io.postbus.loadtest.generator;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;

/**
 * The newsletter the generator sends: headers a list manager writes (From, To, Subject, Date,
 * Message-ID, List-Unsubscribe) plus {@value #ID_HEADER}, by which the runner correlates each
 * arrival at the sink with the 250 the generator saw; then a text body of exactly the asked size
 * in lines of at most 78 bytes with CRLF, none starting with a dot, ending with CRLF.
 */
public final class LoadMessage {

    public static final String ID_HEADER = "X-Loadtest-Id";

    private static final byte[] ID_HEADER_BYTES = (ID_HEADER + ":").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE =
            "Our autumn issue: twelve new recipes, a reader's letter and the club calendar.\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private LoadMessage() {}

    /** The header block of message {@code id}, ending with the empty line before the body. */
    public static byte[] headers(long id, String sender, List<String> recipients, ZonedDateTime date) {
        String domain = sender.substring(sender.indexOf('@') + 1);
        return ("From: Newsletter <" + sender + ">\r\n"
                + "To: <" + recipients.get(0) + ">\r\n"
                + "Subject: Newsletter issue " + id + "\r\n"
                + "Date: " + DATE.format(date.withZoneSameInstant(ZoneOffset.UTC)) + "\r\n"
                + "Message-ID: <" + id + ".loadtest@" + domain + ">\r\n"
                + "List-Unsubscribe: <mailto:unsubscribe@" + domain + "?subject=" + id + ">\r\n"
                + ID_HEADER + ": " + id + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code size} bytes of text lines, the last shortened so the body ends with CRLF exactly. */
    public static byte[] body(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("a body ends with CRLF, so it has at least 2 bytes: " + size);
        }
        byte[] out = new byte[size];
        int pos = 0;
        while (out.length - pos >= LINE.length) {
            System.arraycopy(LINE, 0, out, pos, LINE.length);
            pos += LINE.length;
        }
        int rest = out.length - pos;
        if (rest == 1) {
            // A lone byte cannot be a line: stretch the previous line by one letter.
            out[pos - 2] = 'x';
            out[pos - 1] = '\r';
            out[pos] = '\n';
        } else if (rest > 1) {
            System.arraycopy(LINE, 0, out, pos, rest - 2);
            out[out.length - 2] = '\r';
            out[out.length - 1] = '\n';
        }
        return out;
    }

    /**
     * The {@value #ID_HEADER} value of a received message, looked for in its top-level header block
     * only (a bounce quotes the original's headers in its body, and must not count as the original).
     */
    public static OptionalLong id(byte[] message) {
        int lineStart = 0;
        while (lineStart < message.length) {
            int end = lineStart;
            while (end < message.length && message[end] != '\n') {
                end++;
            }
            int contentEnd = end > lineStart && message[end - 1] == '\r' ? end - 1 : end;
            if (contentEnd == lineStart) {
                return OptionalLong.empty(); // the empty line: end of the header block
            }
            if (startsWithIgnoreCase(message, lineStart, contentEnd)) {
                String value = new String(message, lineStart + ID_HEADER_BYTES.length, contentEnd - lineStart - ID_HEADER_BYTES.length,
                        StandardCharsets.US_ASCII).trim();
                try {
                    return OptionalLong.of(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
            lineStart = end + 1;
        }
        return OptionalLong.empty();
    }

    private static boolean startsWithIgnoreCase(byte[] m, int from, int to) {
        if (to - from < ID_HEADER_BYTES.length) {
            return false;
        }
        for (int i = 0; i < ID_HEADER_BYTES.length; i++) {
            if (Character.toLowerCase(m[from + i]) != Character.toLowerCase(ID_HEADER_BYTES[i])) {
                return false;
            }
        }
        return true;
    }
}
