package io.postbus.delivery.smtp;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.List;

/**
 * Turns what goes wrong under a transport into the classified {@link SmtpException} the protocol
 * and the agent decide on. The transport says what happened in java.io terms (a
 * {@link SocketTimeoutException} when a phase's timer ran out, an {@link EOFException} when the
 * server closed, an {@link SSLException} from the handshake); the words and kinds are decided here,
 * once, for every transport.
 */
public final class SmtpFailures {

    private SmtpFailures() {
    }

    /** The connection could not be made; {@code kind} is the transport's reading of the cause. */
    public static SmtpException connect(String host, InetSocketAddress address, SmtpException.Kind kind,
                                        Throwable cause) {
        return new TransientSmtpException("connect to " + SmtpException.where(host, address) + ": "
                + cause.getMessage(), cause, SmtpPhase.CONNECT, kind, null, host, address, List.of());
    }

    /** The local address to send from cannot be bound (not configured on this host, wrong family). */
    public static SmtpException sourceAddress(String host, InetSocketAddress address, InetAddress source,
                                              Throwable cause) {
        return new TransientSmtpException("cannot bind source address " + source.getHostAddress() + " for "
                + SmtpException.where(host, address) + ": " + cause.getMessage(), cause, SmtpPhase.CONNECT,
                SmtpException.Kind.SOURCE_ADDRESS, null, host, address, List.of());
    }

    /** A reply that breaks the syntax or the limits ({@link SmtpReplyFramer}). */
    public static SmtpException malformed(String host, InetSocketAddress address, SmtpPhase phase,
                                          MalformedReplyException e) {
        return new TransientSmtpException("malformed reply from " + SmtpException.where(host, address)
                + " (in reply to " + SmtpException.command(phase) + "): " + e.getMessage(), e, phase,
                SmtpException.Kind.PROTOCOL, null, host, address, List.of());
    }

    /** An I/O failure during {@code phase}. All of them are transient. */
    public static SmtpException during(String host, InetSocketAddress address, SmtpTimeouts timeouts, SmtpPhase phase,
                                       IOException e) {
        String peer = SmtpException.where(host, address);
        String what = SmtpException.activity(phase);
        // Any failure of the handshake, a timeout included, is a TLS failure: that is what makes
        // TlsPolicy.MAY fall back to plain text.
        if (phase == SmtpPhase.TLS_HANDSHAKE && certificateProblem(e) != null) {
            return new TransientSmtpException("server certificate not verified for " + peer + ": "
                    + certificateProblem(e), e, phase, SmtpException.Kind.CERTIFICATE, null, host, address, List.of());
        }
        if (e instanceof SSLException || phase == SmtpPhase.TLS_HANDSHAKE) {
            return new TransientSmtpException("TLS with " + peer + " failed while " + what + ": " + e, e, phase,
                    SmtpException.Kind.TLS, null, host, address, List.of());
        }
        if (e instanceof SocketTimeoutException) {
            return new TransientSmtpException("conversation with " + peer + " timed out after "
                    + timeouts.forPhase(phase).toMillis() + " ms while " + what, e, phase,
                    SmtpException.Kind.TIMEOUT, null, host, address, List.of());
        }
        String detail = e instanceof EOFException ? "" : " (" + e.getMessage() + ")";
        return new TransientSmtpException("lost connection with " + peer + " while " + what + detail, e, phase,
                SmtpException.Kind.CONNECTION_LOST, null, host, address, List.of());
    }

    /** The certificate check's own words, when a {@link CertificateException} is among the causes. */
    private static String certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return String.valueOf(t.getMessage());
            }
        }
        return null;
    }
}
