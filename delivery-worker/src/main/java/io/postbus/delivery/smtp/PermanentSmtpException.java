package io.postbus.delivery.smtp;

import java.net.InetSocketAddress;
import java.util.List;

/** A session refused with a 5xx (at the greeting, HELO or RSET): this host will not take the mail. */
public final class PermanentSmtpException extends SmtpException {
    private static final long serialVersionUID = 1L;

    public PermanentSmtpException(String message, Throwable cause, SmtpPhase phase, Kind kind, SmtpReply reply,
                                  String remoteHost, InetSocketAddress remoteAddress,
                                  List<RecipientResult> decidedRecipients) {
        super(message, cause, phase, kind, reply, remoteHost, remoteAddress, decidedRecipients);
    }

    @Override
    SmtpException withDecidedRecipients(List<RecipientResult> decided) {
        SmtpException copy = new PermanentSmtpException(getMessage(), getCause(), phase(), kind(), reply().orElse(null),
                remoteHost(), remoteAddress(), decided);
        copy.setStackTrace(getStackTrace()); // where it happened, not where it was annotated
        return copy;
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
