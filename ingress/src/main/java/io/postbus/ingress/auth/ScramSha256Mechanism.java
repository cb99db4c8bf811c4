package io.postbus.ingress.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677), server side, without channel binding:
 * <pre>
 *   C: n,,n=user,r=&lt;client nonce&gt;                       (client-first)
 *   S: r=&lt;client nonce+server nonce&gt;,s=&lt;salt&gt;,i=&lt;count&gt;     (server-first, a 334 challenge)
 *   C: c=biws,r=&lt;nonce&gt;,p=&lt;ClientProof&gt;                  (client-final)
 *   S: v=&lt;ServerSignature&gt;                                (server-final, a 334 challenge)
 *   C: (empty line)                                       then 235
 * </pre>
 * The server-final message goes out as a challenge, and success only follows the client's empty
 * answer, because SMTP cannot carry data with a success reply (RFC 4954 §4, RFC 4422 §5).
 *
 * <p>Users without SCRAM credentials, known or not, get a simulated exchange (RFC 5802 §9): a
 * stable fake salt and the usual iteration count, then a failure at the proof, so the
 * server-first message does not reveal who exists. Refused: {@code p=} channel binding (we do
 * not advertise SCRAM-SHA-256-PLUS), the reserved {@code m=} extension, and an authzid other
 * than the user.
 */
public final class ScramSha256Mechanism implements SaslMechanism {

    public static final String NAME = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { NEW, AWAITING_CLIENT_FIRST, AWAITING_CLIENT_FINAL, AWAITING_ACKNOWLEDGEMENT, DONE }

    private final UserStore store;
    private final Supplier<String> serverNonces;
    private State state = State.NEW;
    private ScramMessages.ClientFirst clientFirst;
    private ScramCredentials credentials;
    private boolean realCredentials;
    private String nonce;
    private String serverFirst;

    public ScramSha256Mechanism(UserStore store) {
        this(store, ScramSha256Mechanism::randomNonce);
    }

    /** With a fixed source of server nonces, for tests against published exchanges. */
    public ScramSha256Mechanism(UserStore store, Supplier<String> serverNonces) {
        this.store = Objects.requireNonNull(store, "store");
        this.serverNonces = Objects.requireNonNull(serverNonces, "serverNonces");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** SCRAM is client-first: without an initial response we send an empty challenge. */
    @Override
    public SaslResult start() {
        expect(State.NEW);
        state = State.AWAITING_CLIENT_FIRST;
        return new SaslResult.Challenge(new byte[0]);
    }

    @Override
    public SaslResult start(byte[] initialResponse) {
        expect(State.NEW);
        return onClientFirst(initialResponse);
    }

    @Override
    public SaslResult respond(byte[] response) {
        return switch (state) {
            case AWAITING_CLIENT_FIRST -> onClientFirst(response);
            case AWAITING_CLIENT_FINAL -> onClientFinal(response);
            case AWAITING_ACKNOWLEDGEMENT -> onAcknowledgement(response);
            default -> throw new IllegalStateException("SCRAM exchange is " + state + ", not awaiting a response");
        };
    }

    private SaslResult onClientFirst(byte[] bytes) {
        String message = text(bytes);
        if (message != null && message.startsWith("p=")) {
            return fail(SaslResult.Reason.MALFORMED); // RFC 5802 §6: channel binding only with -PLUS, not offered
        }
        ScramMessages.ClientFirst first = message == null ? null : ScramMessages.parseClientFirst(message);
        if (first == null) {
            return fail(SaslResult.Reason.MALFORMED);
        }
        if (first.authzid() != null && !first.authzid().equals(first.user())) {
            return fail(SaslResult.Reason.CREDENTIALS_INVALID); // no proxy authorization
        }
        String serverNonce = serverNonces.get();
        if (!ScramMessages.isPrintableNonce(serverNonce)) {
            throw new IllegalStateException("server nonce must be printable ASCII without ','");
        }
        clientFirst = first;
        var stored = store.scramCredentials(first.user());
        realCredentials = stored.isPresent();
        credentials = stored.orElseGet(() -> store.scramDecoy(first.user()));
        nonce = first.clientNonce() + serverNonce;
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.saltRef())
                + ",i=" + credentials.iterations();
        state = State.AWAITING_CLIENT_FINAL;
        return new SaslResult.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private SaslResult onClientFinal(byte[] bytes) {
        String message = text(bytes);
        ScramMessages.ClientFinal fin = message == null ? null : ScramMessages.parseClientFinal(message);
        if (fin == null || fin.proof().length != ScramCredentials.KEY_BYTES) {
            return fail(SaslResult.Reason.MALFORMED);
        }
        // c= must repeat our gs2 header (no channel binding data), r= our combined nonce (RFC 5802 §5.1).
        boolean bindingMatches = MessageDigest.isEqual(fin.channelBinding(),
                clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8));
        boolean nonceMatches = MessageDigest.isEqual(fin.nonce().getBytes(StandardCharsets.UTF_8),
                nonce.getBytes(StandardCharsets.UTF_8));
        if (!bindingMatches || !nonceMatches) {
            return fail(SaslResult.Reason.CREDENTIALS_INVALID);
        }
        // RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) must be StoredKey.
        byte[] authMessage = (clientFirst.bare() + "," + serverFirst + "," + fin.withoutProof())
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientKey = ScramCredentials.hmac(credentials.storedKeyRef(), authMessage);
        byte[] proof = fin.proof();
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= proof[i];
        }
        boolean proofMatches = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), credentials.storedKeyRef());
        if (!(proofMatches && realCredentials)) {
            return fail(SaslResult.Reason.CREDENTIALS_INVALID);
        }
        byte[] serverSignature = ScramCredentials.hmac(credentials.serverKeyRef(), authMessage);
        state = State.AWAITING_ACKNOWLEDGEMENT;
        return new SaslResult.Challenge(("v=" + Base64.getEncoder().encodeToString(serverSignature))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** After server-final the client has nothing to say: RFC 4422 §5 wants an empty response. */
    private SaslResult onAcknowledgement(byte[] bytes) {
        if (bytes.length != 0) {
            return fail(SaslResult.Reason.MALFORMED);
        }
        state = State.DONE;
        return new SaslResult.Success(clientFirst.user());
    }

    private SaslResult fail(SaslResult.Reason reason) {
        state = State.DONE;
        return new SaslResult.Failure(reason);
    }

    /** Strict UTF-8 with no NUL (RFC 5802 §7 {@code value-char} excludes it), or null. */
    private static String text(byte[] bytes) {
        String s = Utf8.decodeString(bytes, 0, bytes.length);
        return s == null || s.indexOf('\0') >= 0 ? null : s;
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("SCRAM exchange is " + state + ", not " + expected);
        }
    }

    /** 18 random bytes, 24 base64 characters: all printable, none a comma. */
    static String randomNonce() {
        return Base64.getEncoder().encodeToString(Argon2idHash.randomBytes(RANDOM, 18));
    }

    @Override
    public String toString() {
        return "ScramSha256Mechanism[" + state + "]";
    }
}
