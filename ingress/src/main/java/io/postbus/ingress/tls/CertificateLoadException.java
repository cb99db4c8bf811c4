package io.postbus.ingress.tls;

import io.postbus.core.error.PermanentException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The configured TLS certificate cannot be served: a configuration error, permanent because reading
 * the same files again gives the same answer. At start it stops the server; from
 * {@link CertificateWatcher} it means the renewed files were refused and the previous certificate
 * stays in use. The message names the file at fault and says what to do about it.
 */
public final class CertificateLoadException extends PermanentException {

    /** What is wrong, for code that reacts to it; the message is for people. */
    public enum Reason {
        /** The file is missing, not readable by us, or too large to be a certificate or key. */
        UNREADABLE,
        /** The file is readable but holds no certificate / no private key, or its encoding is broken. */
        MALFORMED,
        /** The PKCS#12 password does not open the file. */
        WRONG_PASSWORD,
        /** Readable but not servable: an encrypted PEM key, a key type other than RSA or EC, several keys. */
        UNSUPPORTED,
        /** The private key does not belong to the first certificate of the chain. */
        KEY_MISMATCH,
        /** The certificate's notAfter has passed. */
        EXPIRED,
        /** The certificate's notBefore is still in the future. */
        NOT_YET_VALID,
        /** Vert.x refused a certificate that passed our checks, or applying it to a server failed. */
        NOT_APPLIED
    }

    private final Reason reason;
    private final Path file;

    public CertificateLoadException(Reason reason, Path file, String message) {
        this(reason, file, message, null);
    }

    public CertificateLoadException(Reason reason, Path file, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.file = file;
    }

    public Reason reason() {
        return reason;
    }

    /** The file at fault; empty when the certificate did not come from a file (PEM text, self-signed). */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
