package io.postbus.delivery.smtp;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A session with one server failed as a whole: it could not be opened, broke, timed out, spoke
 * gibberish, or refused us at the greeting, EHLO or RSET. Whether to retry is carried by the type
 * ({@link TransientSmtpException} or {@link PermanentSmtpException}), never by parsing the message.
 *
 * <p>Either way the caller may try the next MX host for the recipients still undecided: even a
 * 5xx greeting is only one host's opinion (Postfix's smtp_skip_5xx_greeting). Recipients that
 * the server had already answered for good before the failure are in {@link #decidedRecipients()}.
 * After this exception the connection is closed.
 */
public abstract sealed class SmtpException extends Exception
        permits TransientSmtpException, PermanentSmtpException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** Nothing listens on the port (TCP RST to our SYN). */
        CONNECTION_REFUSED,
        /** No answer to our SYN within the connect timeout. */
        CONNECT_TIMEOUT,
        /** No route to the host or network. */
        UNREACHABLE,
        /** No reply within the phase's timeout. */
        TIMEOUT,
        /** The server closed or reset the connection. */
        CONNECTION_LOST,
        /** The TLS handshake failed. */
        TLS,
        /** TLS is required (ENCRYPT, VERIFY), but the server did not offer STARTTLS or refused it. */
        TLS_UNAVAILABLE,
        /** TLS verification is required and the server's certificate did not verify (chain or name). */
        CERTIFICATE,
        /**
         * Credentials are configured for this host, but it cannot have them: the session is not
         * TLS-protected (Postfix smtp_sasl_security_options = noplaintext, and we never send
         * credentials in the clear), or no mechanism we speak was offered.
         */
        AUTH_UNAVAILABLE,
        /** The server refused our credentials (535) or the exchange failed (RFC 4954 §4). */
        AUTH_FAILED,
        /** The configured source address could not be bound: it is not an address of this host. */
        SOURCE_ADDRESS,
        /** A reply we cannot parse: the dialogue is out of step. */
        PROTOCOL,
        /** The server refused with a 4xx or 5xx where nothing but success lets us go on. */
        REJECTED
    }

    private final SmtpPhase phase;
    private final Kind kind;
    private final transient SmtpReply reply;
    private final String remoteHost;
    private final InetSocketAddress remoteAddress;
    private final transient List<RecipientResult> decidedRecipients;

    SmtpException(String message, Throwable cause, SmtpPhase phase, Kind kind, SmtpReply reply,
                  String remoteHost, InetSocketAddress remoteAddress, List<RecipientResult> decidedRecipients) {
        super(message, cause);
        this.phase = Objects.requireNonNull(phase, "phase");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reply = reply;
        this.remoteHost = Objects.requireNonNull(remoteHost, "remoteHost");
        this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
        this.decidedRecipients = List.copyOf(decidedRecipients);
    }

    /** The server refused: permanent for a 5xx, transient for anything else. */
    public static SmtpException rejected(SmtpPhase phase, SmtpReply reply, String remoteHost,
                                         InetSocketAddress remoteAddress) {
        String message = phase == SmtpPhase.GREETING
                ? where(remoteHost, remoteAddress) + " refused to talk to me: " + reply
                : where(remoteHost, remoteAddress) + " said: " + reply + " (in reply to " + command(phase) + ")";
        return reply.isPermanent()
                ? new PermanentSmtpException(message, null, phase, Kind.REJECTED, reply, remoteHost, remoteAddress,
                        List.of())
                : new TransientSmtpException(message, null, phase, Kind.REJECTED, reply, remoteHost, remoteAddress,
                        List.of());
    }

    public abstract boolean isTransient();

    /** The same failure, noting the recipients the server had answered before it happened. */
    abstract SmtpException withDecidedRecipients(List<RecipientResult> decided);

    public final boolean isPermanent() {
        return !isTransient();
    }

    public SmtpPhase phase() {
        return phase;
    }

    public Kind kind() {
        return kind;
    }

    /** The server's reply, for {@link Kind#REJECTED}. */
    public Optional<SmtpReply> reply() {
        return Optional.ofNullable(reply);
    }

    public String remoteHost() {
        return remoteHost;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Recipients refused for good (or for now) before the connection failed; final for this attempt. */
    public List<RecipientResult> decidedRecipients() {
        return decidedRecipients;
    }

    /** "mx.example.org[192.0.2.1]:25", as Postfix writes a peer. */
    static String where(String host, InetSocketAddress address) {
        return host + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
    }

    /** What we were doing, for "lost connection with X while ..." (Postfix's wording). */
    static String activity(SmtpPhase phase) {
        return switch (phase) {
            case CONNECT -> "connecting";
            case GREETING -> "receiving the initial server greeting";
            case EHLO -> "performing the EHLO handshake";
            case LHLO -> "performing the LHLO handshake";
            case HELO -> "performing the HELO handshake";
            case STARTTLS -> "sending STARTTLS";
            case TLS_HANDSHAKE -> "performing the TLS handshake";
            case AUTH -> "authenticating";
            case RSET -> "sending RSET";
            case MAIL -> "sending MAIL FROM";
            case RCPT -> "sending RCPT TO";
            case DATA -> "sending DATA";
            // The server may have queued the message without our hearing it: a retry may duplicate.
            case DATA_DONE -> "sending end of data -- message may be sent more than once";
            case BDAT -> "sending a BDAT chunk";
            case BDAT_LAST -> "sending the last BDAT chunk -- message may be sent more than once";
            case QUIT -> "sending QUIT";
        };
    }

    /** The command a reply answered, for "(in reply to ... command)". */
    static String command(SmtpPhase phase) {
        return switch (phase) {
            case CONNECT, GREETING, TLS_HANDSHAKE -> "initial greeting";
            case EHLO -> "EHLO command";
            case LHLO -> "LHLO command";
            case HELO -> "HELO command";
            case STARTTLS -> "STARTTLS command";
            case AUTH -> "AUTH command";
            case RSET -> "RSET command";
            case MAIL -> "MAIL FROM command";
            case RCPT -> "RCPT TO command";
            case DATA -> "DATA command";
            case DATA_DONE -> "end of DATA command";
            case BDAT -> "BDAT command";
            case BDAT_LAST -> "BDAT LAST command";
            case QUIT -> "QUIT command";
        };
    }
}
