package io.postbus.delivery.smtp;

import java.net.InetSocketAddress;
import java.util.List;

/** A session failure worth retrying later or on another host: network trouble, a timeout, a 4xx. */
public final class TransientSmtpException extends SmtpException {
    private static final long serialVersionUID = 1L;

    public TransientSmtpException(String message, Throwable cause, SmtpPhase phase, Kind kind, SmtpReply reply,
                                  String remoteHost, InetSocketAddress remoteAddress,
                                  List<RecipientResult> decidedRecipients) {
        super(message, cause, phase, kind, reply, remoteHost, remoteAddress, decidedRecipients);
    }

    @Override
    SmtpException withDecidedRecipients(List<RecipientResult> decided) {
        SmtpException copy = new TransientSmtpException(getMessage(), getCause(), phase(), kind(), reply().orElse(null),
                remoteHost(), remoteAddress(), decided);
        copy.setStackTrace(getStackTrace()); // where it happened, not where it was annotated
        return copy;
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
