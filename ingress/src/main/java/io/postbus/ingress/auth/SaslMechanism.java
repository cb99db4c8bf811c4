package io.postbus.ingress.auth;

/**
 * One server-side SASL exchange (RFC 4422 §3): a state machine, used for exactly one AUTH attempt
 * and then thrown away. Not thread-safe; the shell calls it from one thread at a time.
 *
 * <p>Call {@link #start()} when the AUTH command had no initial response, or
 * {@link #start(byte[])} when it had one (RFC 4954 §4; {@code "="} is the empty array), then
 * {@link #respond(byte[])} with each decoded client line for as long as the result is a
 * {@link SaslResult.Challenge}. A {@link SaslResult.Success} or {@link SaslResult.Failure} ends
 * the exchange; calling the mechanism after that, or out of order, is a bug in the caller and
 * throws {@link IllegalStateException}.
 *
 * <p>Steps that verify a password are CPU-heavy; call them off the event loop.
 */
public interface SaslMechanism {

    /** The IANA-registered mechanism name, upper case, e.g. {@code "PLAIN"}. */
    String name();

    /** AUTH without an initial response: what to send first. */
    SaslResult start();

    /** AUTH with an initial response (already base64-decoded; empty for {@code "="}). */
    SaslResult start(byte[] initialResponse);

    /** The client's answer to the last challenge (already base64-decoded; "*" is the shell's job). */
    SaslResult respond(byte[] response);
}
