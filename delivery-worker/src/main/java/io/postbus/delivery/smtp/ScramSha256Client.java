package io.postbus.delivery.smtp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 7677, the SCRAM of RFC 5802 with SHA-256), without channel
 * binding (gs2 header {@code n,,}: the session is already TLS, and tls-unique/tls-exporter would tie
 * this class to the socket). The messages are the SASL payloads; base64 and the 334 lines are the
 * caller's. One instance runs one exchange:
 * <pre>
 *   C: {@link #clientFirst()}                        n,,n=user,r=cnonce
 *   S: r=cnonce+snonce,s=salt,i=4096
 *   C: {@link #clientFinal(String)}                  c=biws,r=cnonce+snonce,p=proof
 *   S: v=signature             → {@link #verifyServerFinal(String)}
 * </pre>
 */
public final class ScramSha256Client {

    /** What to do after a server message: send this, or abandon the exchange for this reason. */
    public sealed interface Step {
        record Send(String message) implements Step {}

        record Abort(String reason) implements Step {}
    }

    /** RFC 5802 §5.1: printable ASCII except the comma. */
    private static final Pattern NONCE = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]+");
    /**
     * A server that asks for absurd work stalls a delivery thread: far above what anyone
     * configures (RFC 7677 §4 asks for at least 4096; Dovecot and Cyrus default to 4096-10000).
     */
    static final int MAX_ITERATIONS = 1_000_000;
    private static final String GS2_HEADER = "n,,";

    private final String password;
    private final String clientFirstBare;
    private final String clientNonce;
    private byte[] expectedServerSignature;

    /** @param clientNonce printable ASCII without commas, fresh and unpredictable for each exchange */
    ScramSha256Client(SaslCredentials credentials, String clientNonce) {
        Objects.requireNonNull(credentials, "credentials");
        if (!NONCE.matcher(clientNonce).matches()) {
            throw new IllegalArgumentException("nonce must be printable ASCII without commas: " + clientNonce);
        }
        this.password = saslPrep(credentials.password());
        this.clientNonce = clientNonce;
        this.clientFirstBare = "n=" + saslName(saslPrep(credentials.username())) + ",r=" + clientNonce;
    }

    /** With 24 random bytes as nonce (RFC 5802 §5.1 asks for a fresh, unpredictable one). */
    public static ScramSha256Client start(SaslCredentials credentials, SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return new ScramSha256Client(credentials, Base64.getEncoder().withoutPadding().encodeToString(bytes));
    }

    public String clientFirst() {
        return GS2_HEADER + clientFirstBare;
    }

    /** The answer to the server-first message (RFC 5802 §3). */
    public Step clientFinal(String serverFirst) {
        Map<Character, String> attrs = attributes(serverFirst);
        String nonce = attrs.get('r');
        String salt = attrs.get('s');
        String count = attrs.get('i');
        if (attrs.containsKey('m')) {
            return new Step.Abort("server requires an unsupported SCRAM extension");
        }
        if (nonce == null || salt == null || count == null) {
            return new Step.Abort("malformed server-first message");
        }
        // §5.1: the server's nonce starts with ours; a different one means a replayed or foreign exchange.
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length() || !NONCE.matcher(nonce).matches()) {
            return new Step.Abort("server nonce does not extend the client nonce");
        }
        int iterations;
        byte[] saltBytes;
        try {
            iterations = Integer.parseInt(count);
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            return new Step.Abort("malformed salt or iteration count");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS || saltBytes.length == 0) {
            return new Step.Abort("unacceptable iteration count " + count + " or empty salt");
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.US_ASCII))
                + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] salted = hi(password, saltBytes, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = sha256(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        expectedServerSignature = hmac(hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)), authMessage);
        return new Step.Send(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /**
     * True when the server-final message proves the server knows the password (RFC 5802 §3: the
     * client MUST check it); false for a wrong signature, an error ({@code e=...}), or a message
     * before {@link #clientFinal}.
     */
    public boolean verifyServerFinal(String serverFinal) {
        String v = attributes(serverFinal).get('v');
        if (expectedServerSignature == null || v == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(expectedServerSignature, Base64.getDecoder().decode(v));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** "a=x,b=y" → {a: x, b: y}; the first of a repeated attribute wins. */
    private static Map<Character, String> attributes(String message) {
        Map<Character, String> attrs = new LinkedHashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attrs.putIfAbsent(part.charAt(0), part.substring(2));
            }
        }
        return attrs;
    }

    /** RFC 5802 §5.1: "=" and "," in a user name are escaped as =3D and =2C. */
    private static String saslName(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }

    /**
     * SASLprep (RFC 4013) as far as it changes real passwords: non-ASCII spaces become a space,
     * soft hyphens and other "mapped to nothing" characters go, then NFKC. The prohibited-character
     * checks are the server's business: it would refuse such a password anyway.
     */
    static String saslPrep(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D) || c == 0x200B
                    || c == 0x200C || c == 0x200D || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF) {
                return; // RFC 3454 table B.1
            }
            b.appendCodePoint(c != ' ' && Character.isSpaceChar(c) ? ' ' : c); // table C.1.2
        });
        return Normalizer.normalize(b, Normalizer.Form.NFKC);
    }

    /** Hi() of RFC 5802 §2.2 is PBKDF2 with HMAC-SHA-256 and one block (RFC 8018 §5.2). */
    private static byte[] hi(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has PBKDF2WithHmacSHA256", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
