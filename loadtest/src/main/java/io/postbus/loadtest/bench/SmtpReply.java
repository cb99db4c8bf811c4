package io.postbus.loadtest.bench;

/**
 * The code and last line of one SMTP reply (RFC 5321 §4.2).
 *
 * @param code     the three-digit reply code
 * @param lastLine the final line, for error messages
 */
public record SmtpReply(int code, String lastLine) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
    }

    /** 2yz: the command was accepted. */
    public boolean positive() {
        return code / 100 == 2;
    }

    /** 421 or 221: the server is closing the connection. */
    public boolean closing() {
        return code == 421 || code == 221;
    }

    @Override
    public String toString() {
        return lastLine;
    }
}
