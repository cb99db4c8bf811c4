package io.postbus.auth.dkim.keys;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A private key file that cannot be used: missing, unreadable, encrypted, or not an RSA or Ed25519 key.
 * Names the file, so that a reload failure points at what to fix.
 */
public final class KeyFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public KeyFileException(Path file, String reason) {
        super(Objects.requireNonNull(file, "file") + ": " + reason);
        this.file = file;
    }

    public KeyFileException(Path file, String reason, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
