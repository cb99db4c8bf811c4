package io.postbus.core.dsn;

import java.util.Arrays;

/**
 * The third part of a report: the message itself or its header section (RFC 6522 §3).
 *
 * @param mediaType       message/rfc822 or text/rfc822-headers (message/global and
 *                        message/global-headers when the report is a UTF-8 one, RFC 6533)
 * @param body            the bytes as they go into the part, ending in CRLF
 * @param eightBit        the bytes hold octets above 127: the part is 8bit, not 7bit
 * @param cutForSize      the sender wanted (or would have got) the whole message, but it was
 *                        larger than the limit, so only headers are returned
 */
record ReturnedContent(String mediaType, byte[] body, boolean eightBit, boolean cutForSize) {

    /**
     * What a report of {@code kind} returns. Failures return what RET asked for; without RET the whole
     * message, as Postfix does (RFC 3461 §4.3 leaves the choice to the MTA). Delay and success reports
     * return headers only: RFC 3461 §4.3 says a DSN without failures SHOULD. A message larger than
     * {@code sizeLimit} (Postfix bounce_size_limit), or one that cannot travel as 8bit MIME (NUL, bare
     * CR or LF, lines over 998 octets: BINARYMIME content), is returned as headers, themselves cut at
     * a header boundary to fit the limit.
     */
    static ReturnedContent select(DsnKind kind, ReturnContent ret, byte[] message, int sizeLimit, boolean global) {
        boolean wantsFull = kind == DsnKind.FAILURE && ret != ReturnContent.HDRS;
        if (wantsFull && message.length <= sizeLimit && isMimeSafe(message)) {
            byte[] body = endWithCrlf(message);
            return new ReturnedContent(global ? "message/global" : "message/rfc822", body, hasEightBit(body), false);
        }
        byte[] headers = endWithCrlf(headers(message, sizeLimit));
        return new ReturnedContent(global ? "message/global-headers" : "text/rfc822-headers", headers,
                hasEightBit(headers), wantsFull);
    }

    /** The header section without the blank line, at most {@code limit} octets, cut between fields. */
    static byte[] headers(byte[] message, int limit) {
        int end = headerEnd(message);
        if (end > limit) {
            end = lastFieldBoundary(message, limit);
        }
        return Arrays.copyOf(message, end);
    }

    /** Offset just past the last header line's LF; the whole message when there is no body. */
    private static int headerEnd(byte[] m) {
        int lineStart = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n') {
                int lineLength = i - lineStart;
                boolean blank = lineLength == 0 || (lineLength == 1 && m[lineStart] == '\r');
                if (blank) {
                    return lineStart;
                }
                lineStart = i + 1;
            }
        }
        return m.length;
    }

    /** The last start of a field (a line not beginning with white space) at or before {@code limit}. */
    private static int lastFieldBoundary(byte[] m, int limit) {
        int best = 0;
        for (int i = 0; i < limit && i < m.length; i++) {
            if (m[i] == '\n' && i + 1 <= limit && i + 1 < m.length && m[i + 1] != ' ' && m[i + 1] != '\t') {
                best = i + 1;
            }
        }
        return best;
    }

    private static byte[] endWithCrlf(byte[] b) {
        if (b.length == 0) {
            return b;
        }
        if (b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n') {
            return b;
        }
        byte[] out;
        if (b[b.length - 1] == '\n') {
            out = Arrays.copyOf(b, b.length + 1);
            out[b.length - 1] = '\r';
        } else {
            out = Arrays.copyOf(b, b.length + 2);
            out[b.length] = '\r';
        }
        out[out.length - 1] = '\n';
        return out;
    }

    /** No NUL, CR only before LF, LF only after CR, no line longer than 998 octets (RFC 5322 §2.1.1). */
    static boolean isMimeSafe(byte[] m) {
        int lineLength = 0;
        for (int i = 0; i < m.length; i++) {
            byte b = m[i];
            if (b == 0) {
                return false;
            }
            if (b == '\r') {
                if (i + 1 >= m.length || m[i + 1] != '\n') {
                    return false;
                }
            } else if (b == '\n') {
                if (i == 0 || m[i - 1] != '\r') {
                    return false;
                }
                lineLength = 0;
                continue;
            }
            if (b != '\r' && ++lineLength > 998) {
                return false;
            }
        }
        return true;
    }

    static boolean hasEightBit(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return true;
            }
        }
        return false;
    }
}
