package io.postbus.delivery.smtp;

/** Where in a session something happened; names the timeout and the "while ..." of a failure. */
public enum SmtpPhase {
    CONNECT, GREETING, EHLO, HELO, LHLO, STARTTLS, TLS_HANDSHAKE, AUTH, RSET, MAIL, RCPT, DATA, DATA_DONE, QUIT
}
