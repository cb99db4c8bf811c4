package io.postbus.auth.dkim;

/**
 * A tag list, signature or key record that breaks its RFC syntax. Permanent by nature (the same bytes
 * always fail): verifiers report it as {@code permerror}, never retry it.
 */
public final class MalformedTagListException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedTagListException(String message) {
        super(message);
    }
}
