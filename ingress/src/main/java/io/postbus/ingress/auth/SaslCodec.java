package io.postbus.ingress.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The base64 framing of SMTP AUTH (RFC 4954 §4 and §8): challenges out, client lines in. Strict
 * as the RFC asks: only the base64 alphabet, padding only at the end and required
 * ({@code base64 = 1*(4base64-char) [base64-terminal]}), no white space.
 */
public final class SaslCodec {

    private SaslCodec() {}

    /** A decoded client line. */
    public sealed interface ClientData permits Data, Cancel, Invalid {}

    /**
     * Decoded bytes. {@link #bytes()} is the decoded array itself, not a copy, so the caller can
     * wipe it once the mechanism has consumed it; it may hold a password.
     */
    public record Data(byte[] bytes) implements ClientData {
        @Override
        public String toString() {
            return "Data[" + bytes.length + " bytes]"; // never the content: it may be a password
        }
    }

    /** The client sent {@code "*"}: reply 501 and end the exchange (RFC 4954 §4). */
    public record Cancel() implements ClientData {}

    /** Not base64: reply {@code 501 5.5.2} and end the exchange (RFC 4954 §4). */
    public record Invalid() implements ClientData {}

    /** The optional argument of {@code AUTH <mech> <initial-response>}: base64, or {@code "="} for empty. */
    public static ClientData decodeInitialResponse(String argument) {
        if (argument.equals("=")) {
            return new Data(new byte[0]);
        }
        return decode(argument);
    }

    /** A client line answering a {@code 334} challenge: base64 (empty line for no data), or {@code "*"}. */
    public static ClientData decodeResponse(String line) {
        if (line.equals("*")) {
            return new Cancel();
        }
        return decode(line);
    }

    /** The text after {@code "334 "}; empty for an empty challenge. */
    public static String encodeChallenge(SaslResult.Challenge challenge) {
        return Base64.getEncoder().encodeToString(challenge.data());
    }

    private static ClientData decode(String text) {
        byte[] bytes = strictBase64(text);
        return bytes == null ? new Invalid() : new Data(bytes);
    }

    /** RFC 4648 §4 base64 with padding required and nothing outside the alphabet; null if not. */
    static byte[] strictBase64(String text) {
        if (text.length() % 4 != 0) {
            return null; // Java's decoder would accept missing padding; RFC 4954 §8 and RFC 5802 §7 do not
        }
        try {
            return Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
