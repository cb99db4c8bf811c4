package io.postbus.delivery.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code, the enhanced status code of RFC 3463 if the
 * server sent one, and the text of each line (what follows the code and its separator, the
 * enhanced code included, as the server wrote it).
 */
public record SmtpReply(int code, Optional<EnhancedStatusCode> enhancedStatus, List<String> lines) {

    public SmtpReply {
        if (!validCode(code)) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("CR or LF inside a reply line: " + line);
            }
        }
    }

    /** A one-line reply; an enhanced status code at the start of the text is recognised. */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, enhancedFor(code, text), List.of(text));
    }

    /**
     * Parses the lines of one reply, each without its CRLF: "250-first", ..., "250 last".
     *
     * @throws MalformedReplyException if a line lacks a valid code, the codes differ, a line
     *         other than the last is not a continuation, or the last line is one
     */
    public static SmtpReply parse(List<String> rawLines) throws MalformedReplyException {
        if (rawLines.isEmpty()) {
            throw new MalformedReplyException("empty reply");
        }
        int code = -1;
        List<String> texts = new ArrayList<>(rawLines.size());
        for (int i = 0; i < rawLines.size(); i++) {
            String line = rawLines.get(i);
            boolean last = i == rawLines.size() - 1;
            int lineCode = lineCode(line);
            if (code >= 0 && lineCode != code) {
                throw new MalformedReplyException("reply code changes from " + code + " to " + lineCode
                        + " in a multi-line reply: " + line);
            }
            code = lineCode;
            char separator = line.length() > 3 ? line.charAt(3) : ' ';
            if (separator == '-' && last) {
                throw new MalformedReplyException("last reply line is a continuation: " + line);
            }
            if (separator != '-' && !last) {
                throw new MalformedReplyException("reply line before the last is not a continuation: " + line);
            }
            if (separator != ' ' && separator != '-') {
                throw new MalformedReplyException("no space or dash after the reply code: " + line);
            }
            texts.add(line.length() > 4 ? line.substring(4) : "");
        }
        return new SmtpReply(code, enhancedFor(code, texts.get(0)), texts);
    }

    /** The code of one raw reply line; also used by the reader to find where a reply ends. */
    static int lineCode(String line) throws MalformedReplyException {
        if (line.length() < 3) {
            throw new MalformedReplyException("reply line shorter than a code: \"" + line + "\"");
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedReplyException("reply line does not start with a code: \"" + line + "\"");
            }
            code = code * 10 + (c - '0');
        }
        if (!validCode(code)) {
            throw new MalformedReplyException("reply code out of range: \"" + line + "\"");
        }
        return code;
    }

    /** RFC 5321 §4.2: first digit 2 to 5 (1yz is never used by SMTP), second digit 0 to 5. */
    private static boolean validCode(int code) {
        return code >= 200 && code <= 599 && (code / 10) % 10 <= 5;
    }

    /** RFC 3463 §3: an enhanced code whose class disagrees with the reply code is not one. */
    private static Optional<EnhancedStatusCode> enhancedFor(int code, String text) {
        return EnhancedStatusCode.fromTextStart(text).filter(e -> e.statusClass() == code / 100);
    }

    /** 2xx. (3xx is an intermediate reply: {@code 354} after DATA.) */
    public boolean isPositive() {
        return code / 100 == 2;
    }

    public boolean isIntermediate() {
        return code / 100 == 3;
    }

    /** 4xx: try again later. */
    public boolean isTransient() {
        return code / 100 == 4;
    }

    /** 5xx: do not try again. */
    public boolean isPermanent() {
        return code / 100 == 5;
    }

    /** 421 (RFC 5321 §3.8): the server is closing the connection, whatever the command was. */
    public boolean isClosing() {
        return code == 421;
    }

    /** The text of all lines joined by spaces. */
    public String text() {
        return String.join(" ", lines);
    }

    /** On one line, as for a log or a DSN Diagnostic-Code: "550 5.1.1 user unknown". */
    @Override
    public String toString() {
        return code + " " + text();
    }
}
