package io.postbus.loadtest.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Mail as the auth benchmarks see it: what the ingress queues (our Received field on top, CRLF line ends),
 * a multipart/mixed body with a quoted-printable text part and a base64 attachment of random bytes that
 * brings the body to about the size asked for. The attachment is what makes a body large in real mail,
 * and its 76-character lines without white space are the usual input of relaxed body canonicalization.
 *
 * <p>Message {@code index} always has the same bytes; different indexes differ in Message-ID, Subject and
 * attachment, so Kafka's lz4 cannot fold a batch of them into almost nothing.
 */
public final class SampleMail {
    /** Base64 line of 76 characters and CRLF (RFC 2045 §6.8). */
    private static final int BASE64_LINE = 78;
    private static final String[] PROSE = {
        "Hello Bob,",
        "",
        "please find attached the figures for the third quarter, as discussed in Tuesday's meeting.",
        "Revenue is up 4.2 % on the same quarter last year; the caf\u00e9 chain in Lyon is the one exception.",
        "Costs stayed flat, except for freight, which rose again after the new tariffs came in.",
        "Could you look at page 3 before Friday? The board wants a short summary, not the full tables.",
        "",
        "Best regards,",
        "Alice",
        "--",
        "Alice Example, Finance, Example Inc.",
    };

    private final String from;
    private final String to;
    private final int bodySize;

    /**
     * @param from     address of the From field (signing and DMARC use its domain)
     * @param to       address of the To field
     * @param bodySize body bytes to aim for; the result is within one base64 line of it, and never below
     *                 the text part (about 800 bytes)
     */
    public SampleMail(String from, String to, int bodySize) {
        if (bodySize < 0) {
            throw new IllegalArgumentException("body size must not be negative: " + bodySize);
        }
        this.from = from;
        this.to = to;
        this.bodySize = bodySize;
    }

    /** Message number {@code index}: always the same bytes for the same index. */
    public byte[] message(long index) {
        String boundary = String.format(Locale.ROOT, "=_postbus_%016x", index * 0x9E3779B97F4A7C15L);
        String head = "Received: from mail.example.com (mail.example.com [192.0.2.10])\r\n"
                + "\tby mx.postbus.test (Postbus) with ESMTPS id 4Xb" + index + "\r\n"
                + "\tfor <" + to + ">; Sat, 21 Nov 2026 10:00:00 +0000 (UTC)\r\n"
                + "From: Alice Example <" + from + ">\r\n"
                + "To: Bob <" + to + ">\r\n"
                + "Subject: Q3 figures, version " + index + "\r\n"
                + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <q3-" + index + "@example.com>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n"
                + "\r\n";
        ByteArrayOutputStream body = new ByteArrayOutputStream(bodySize + 1024);
        write(body, "This is a multi-part message in MIME format.\r\n\r\n--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        for (String line : PROSE) {
            write(body, quotedPrintable(line));
        }
        write(body, "\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pdf; name=\"q3-" + index + ".pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"q3-" + index + ".pdf\"\r\n\r\n");
        String closing = "\r\n--" + boundary + "--\r\n";
        int room = bodySize - body.size() - closing.length();
        int lines = Math.max(1, (room + BASE64_LINE / 2) / BASE64_LINE);
        byte[] raw = new byte[lines * 57]; // 57 bytes make one 76-character line
        new SplittableRandom(index).nextBytes(raw);
        body.writeBytes(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(raw));
        write(body, closing);
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[headBytes.length + body.size()];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(body.toByteArray(), 0, out, headBytes.length, body.size());
        return out;
    }

    /** One line of text, quoted-printable (RFC 2045 §6.7), soft-broken at 76 characters. */
    static String quotedPrintable(String line) {
        StringBuilder out = new StringBuilder();
        int width = 0;
        for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            String token = c >= 33 && c <= 126 && c != '=' || c == ' '
                    ? String.valueOf((char) c) : String.format(Locale.ROOT, "=%02X", c);
            if (width + token.length() > 75) {
                out.append("=\r\n");
                width = 0;
            }
            out.append(token);
            width += token.length();
        }
        return out.append("\r\n").toString();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
