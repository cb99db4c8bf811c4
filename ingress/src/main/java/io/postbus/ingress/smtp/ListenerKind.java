package io.postbus.ingress.smtp;

/** The three kinds of SMTP port (RFC 5321 MX, RFC 6409 submission, RFC 8314 implicit TLS submission). */
public enum ListenerKind {
    /** Port 25: mail from the world; STARTTLS offered, no AUTH needed. */
    SMTP,
    /** Port 587: STARTTLS required before AUTH, AUTH required to send. */
    SUBMISSION,
    /** Port 465: TLS from the first byte, AUTH required to send. */
    SUBMISSIONS
}
