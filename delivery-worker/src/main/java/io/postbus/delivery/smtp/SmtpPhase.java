package io.postbus.delivery.smtp;

/**
 * Where in a session something happened; names the timeout and the "while ..." of a failure. BDAT is a chunk
 * that is not the last (RFC 3030 §2); BDAT_LAST ends the message, as the final dot does for DATA.
 */
public enum SmtpPhase {
    CONNECT, GREETING, EHLO, HELO, LHLO, STARTTLS, TLS_HANDSHAKE, AUTH, RSET, MAIL, RCPT, DATA, DATA_DONE, BDAT, BDAT_LAST, QUIT
}
