package io.postbus.ingress.smtp;

/** What the shell must do after the session handled an input: send the reply (if any), then the action. */
public record Step(Reply reply, Action action) {
    public enum Action {
        /** Keep reading commands. */
        CONTINUE,
        /** Switch to reading message data. */
        READ_DATA,
        /** Read exactly {@link SmtpSession#pendingChunkSize()} octets and hand them to {@link SmtpSession#chunk}. */
        READ_CHUNK,
        /** Run {@link SmtpSession#runSasl()} off the event loop, then give its result to {@link SmtpSession#saslResult}. */
        SASL_COMPUTE,
        /** The next line is a SASL response for {@link SmtpSession#saslLine}, not a command. */
        READ_SASL,
        /** The message is complete: publish {@link SmtpSession#takeAccepted()}, then report the outcome. */
        QUEUE,
        /** Drop unread input, then do the TLS handshake (RFC 3207 §4.2, CVE-2011-0411). */
        START_TLS,
        /** Close the connection after the reply. */
        CLOSE
    }

    public static Step reply(Reply r) {
        return new Step(r, Action.CONTINUE);
    }
}
