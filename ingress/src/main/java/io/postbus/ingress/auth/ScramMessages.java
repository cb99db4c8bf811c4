package io.postbus.ingress.auth;

import java.util.Arrays;

/**
 * Parsers for the two client messages of SCRAM (RFC 5802 §7). Each returns null when the
 * message does not follow the grammar; the mechanism turns that into {@code MALFORMED}.
 */
final class ScramMessages {

    static final int MAX_NONCE_CHARS = 1024;

    private ScramMessages() {}

    /**
     * {@code client-first-message = gs2-header client-first-message-bare}.
     *
     * @param gs2Header   {@code "n,,"}, {@code "y,,"} or with {@code a=}: echoed base64'd in c=
     * @param authzid     decoded {@code a=} value, or null when absent
     * @param bare        what goes into AuthMessage
     */
    record ClientFirst(String gs2Header, String authzid, String user, String clientNonce, String bare) {}

    /** {@code client-final-message = channel-binding "," nonce ["," extensions] "," proof}. */
    record ClientFinal(byte[] channelBinding, String nonce, byte[] proof, String withoutProof) {}

    static ClientFirst parseClientFirst(String message) {
        // "p=" (channel binding required) is refused by the mechanism before parsing.
        // "y" means the client could bind but thinks we cannot: true, as we do not advertise -PLUS.
        // Were -PLUS ever advertised, "y" would signal a downgrade and must then fail (RFC 5802 §6).
        if (message.length() < 3 || (message.charAt(0) != 'n' && message.charAt(0) != 'y') || message.charAt(1) != ',') {
            return null;
        }
        int headerEnd = message.indexOf(',', 2);
        if (headerEnd < 0) {
            return null;
        }
        String authzField = message.substring(2, headerEnd);
        String authzid = null;
        if (!authzField.isEmpty()) {
            authzid = authzField.startsWith("a=") ? decodeSaslName(authzField.substring(2)) : null;
            if (authzid == null || authzid.isEmpty()) {
                return null;
            }
        }
        String bare = message.substring(headerEnd + 1);
        String[] attrs = bare.split(",", -1);
        if (attrs[0].startsWith("m=")) {
            return null; // RFC 5802 §5.1: a mandatory extension we do not know MUST fail the exchange
        }
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || !extensionsValid(attrs, 2, attrs.length)) {
            return null;
        }
        String user = decodeSaslName(attrs[0].substring(2));
        String nonce = attrs[1].substring(2);
        if (user == null || user.isEmpty() || !isPrintableNonce(nonce)) {
            return null;
        }
        return new ClientFirst(message.substring(0, headerEnd + 1), authzid, user, nonce, bare);
    }

    static ClientFinal parseClientFinal(String message) {
        String[] attrs = message.split(",", -1);
        int last = attrs.length - 1;
        if (attrs.length < 3 || !attrs[0].startsWith("c=") || !attrs[1].startsWith("r=") || !attrs[last].startsWith("p=")
                || !extensionsValid(attrs, 2, last)) {
            return null;
        }
        byte[] channelBinding = SaslCodec.strictBase64(attrs[0].substring(2));
        byte[] proof = SaslCodec.strictBase64(attrs[last].substring(2));
        String nonce = attrs[1].substring(2);
        if (channelBinding == null || proof == null || !isPrintableNonce(nonce)) {
            return null;
        }
        String withoutProof = message.substring(0, message.length() - attrs[last].length() - 1);
        return new ClientFinal(channelBinding, nonce, proof, withoutProof);
    }

    /** RFC 5802 §7: {@code saslname}, where "," is sent as "=2C" and "=" as "=3D"; any other "=" is an error. */
    static String decodeSaslName(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (value.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (value.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                return null; // RFC 5802 §5.1: the server MUST fail the authentication
            }
        }
        return out.toString();
    }

    /** {@code printable = %x21-2B / %x2D-7E}: visible ASCII but ",". */
    static boolean isPrintableNonce(String nonce) {
        if (nonce.isEmpty() || nonce.length() > MAX_NONCE_CHARS) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** {@code attr-val = ALPHA "=" value}; unknown optional extensions are ignored (RFC 5802 §5.1). */
    private static boolean extensionsValid(String[] attrs, int from, int to) {
        for (String attr : Arrays.asList(attrs).subList(from, to)) {
            if (attr.length() < 3 || attr.charAt(1) != '=' || !isAsciiLetter(attr.charAt(0))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
