package io.postbus.ingress.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * PLAIN (RFC 4616): one client message {@code [authzid] NUL authcid NUL passwd}, checked against
 * the {@link UserStore}. Proxy authorization is not supported: the authzid must be empty or equal
 * to the authcid (RFC 4616 §2 lets the server refuse any other).
 */
public final class PlainMechanism implements SaslMechanism {

    public static final String NAME = "PLAIN";
    /** RFC 4616 §2: "MUST accept up to 255 octets"; we take up to this many per field. */
    static final int MAX_FIELD_BYTES = 1024;

    private enum State { NEW, AWAITING_MESSAGE, DONE }

    private final UserStore store;
    private State state = State.NEW;

    public PlainMechanism(UserStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** PLAIN is client-first: without an initial response we send an empty challenge (RFC 4954 §4, "334 "). */
    @Override
    public SaslResult start() {
        expect(State.NEW);
        state = State.AWAITING_MESSAGE;
        return new SaslResult.Challenge(new byte[0]);
    }

    @Override
    public SaslResult start(byte[] initialResponse) {
        expect(State.NEW);
        return check(initialResponse);
    }

    @Override
    public SaslResult respond(byte[] response) {
        expect(State.AWAITING_MESSAGE);
        return check(response);
    }

    private SaslResult check(byte[] message) {
        state = State.DONE;
        int first = indexOfNul(message, 0);
        int second = first < 0 ? -1 : indexOfNul(message, first + 1);
        if (second < 0 || indexOfNul(message, second + 1) >= 0) {
            return malformed(); // RFC 4616 §2: exactly two NULs; a third would sit in the password
        }
        if (first > MAX_FIELD_BYTES || second - first - 1 > MAX_FIELD_BYTES || message.length - second - 1 > MAX_FIELD_BYTES) {
            return malformed();
        }
        String authzid = Utf8.decodeString(message, 0, first);
        String authcid = Utf8.decodeString(message, first + 1, second);
        char[] passwd = Utf8.decode(message, second + 1, message.length);
        try {
            if (authzid == null || authcid == null || passwd == null || authcid.isEmpty() || passwd.length == 0) {
                return malformed(); // RFC 4616 §2: UTF-8, and authcid and passwd are 1*SAFE
            }
            if (!authzid.isEmpty() && !authzid.equals(authcid)) {
                return new SaslResult.Failure(SaslResult.Reason.CREDENTIALS_INVALID); // no proxy authorization
            }
            return store.verifyPassword(authcid, passwd)
                    ? new SaslResult.Success(authcid)
                    : new SaslResult.Failure(SaslResult.Reason.CREDENTIALS_INVALID);
        } finally {
            if (passwd != null) {
                Arrays.fill(passwd, '\0');
            }
        }
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("PLAIN exchange is " + state + ", not " + expected);
        }
    }

    private static SaslResult malformed() {
        return new SaslResult.Failure(SaslResult.Reason.MALFORMED);
    }

    static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "PlainMechanism[" + state + "]";
    }
}
