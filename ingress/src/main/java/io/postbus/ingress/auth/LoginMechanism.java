package io.postbus.ingress.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * LOGIN, the obsolete but ubiquitous mechanism of draft-murchison-sasl-login: the server asks
 * {@code "Username:"}, then {@code "Password:"}, each answer one UTF-8 string. Many clients
 * (Outlook among them) send the user name as an initial response, which we accept. Both answers
 * follow PLAIN's rules: well-formed UTF-8, not empty, no NUL.
 */
public final class LoginMechanism implements SaslMechanism {

    public static final String NAME = "LOGIN";
    static final byte[] USERNAME_CHALLENGE = "Username:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD_CHALLENGE = "Password:".getBytes(StandardCharsets.US_ASCII);

    private enum State { NEW, AWAITING_USER, AWAITING_PASSWORD, DONE }

    private final UserStore store;
    private State state = State.NEW;
    private String user;

    public LoginMechanism(UserStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SaslResult start() {
        expect(State.NEW);
        state = State.AWAITING_USER;
        return new SaslResult.Challenge(USERNAME_CHALLENGE);
    }

    /** The initial response is the user name. */
    @Override
    public SaslResult start(byte[] initialResponse) {
        expect(State.NEW);
        return takeUser(initialResponse);
    }

    @Override
    public SaslResult respond(byte[] response) {
        if (state == State.AWAITING_USER) {
            return takeUser(response);
        }
        expect(State.AWAITING_PASSWORD);
        return takePassword(response);
    }

    private SaslResult takeUser(byte[] response) {
        String name = response.length > PlainMechanism.MAX_FIELD_BYTES ? null : Utf8.decodeString(response, 0, response.length);
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            state = State.DONE;
            return new SaslResult.Failure(SaslResult.Reason.MALFORMED);
        }
        user = name; // asked for the password whether or not the user exists, so nothing is revealed here
        state = State.AWAITING_PASSWORD;
        return new SaslResult.Challenge(PASSWORD_CHALLENGE);
    }

    private SaslResult takePassword(byte[] response) {
        state = State.DONE;
        char[] password = response.length > PlainMechanism.MAX_FIELD_BYTES ? null : Utf8.decode(response, 0, response.length);
        try {
            if (password == null || password.length == 0 || Utf8.containsNul(password)) {
                return new SaslResult.Failure(SaslResult.Reason.MALFORMED);
            }
            return store.verifyPassword(user, password)
                    ? new SaslResult.Success(user)
                    : new SaslResult.Failure(SaslResult.Reason.CREDENTIALS_INVALID);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("LOGIN exchange is " + state + ", not " + expected);
        }
    }

    @Override
    public String toString() {
        return "LoginMechanism[" + state + "]"; // not the user name: it may be a password typed in the wrong box
    }
}
