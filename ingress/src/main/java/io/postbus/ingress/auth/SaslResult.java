package io.postbus.ingress.auth;

import java.util.Arrays;
import java.util.Objects;

/** What a {@link SaslMechanism} step asks the SMTP shell to do next (RFC 4422 §3, RFC 4954 §4). */
public sealed interface SaslResult permits SaslResult.Challenge, SaslResult.Success, SaslResult.Failure {

    /**
     * Send {@code 334 <base64 data>} and feed the client's next line back to the mechanism. Empty
     * data is the line {@code "334 "} (RFC 4954 §4).
     */
    record Challenge(byte[] data) implements SaslResult {
        public Challenge {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge c && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Challenge[" + data.length + " bytes]";
        }
    }

    /**
     * Authentication succeeded: reply {@code 235 2.7.0}. {@code user} is both the authentication
     * and the authorization identity, since we refuse proxy authorization.
     */
    record Success(String user) implements SaslResult {
        public Success {
            Objects.requireNonNull(user, "user");
        }
    }

    /** Authentication failed; {@link Reason} says which reply, never which part was wrong. */
    record Failure(Reason reason) implements SaslResult {
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why an exchange failed, with the RFC 4954 §6 reply it calls for. */
    enum Reason {
        /**
         * Wrong password, unknown user, a user without credentials for this mechanism, a bad SCRAM
         * proof or nonce, or an authorization identity other than the user: one value on purpose,
         * so the reply does not tell an attacker which it was.
         */
        CREDENTIALS_INVALID(535, "5.7.8", "Authentication credentials invalid"),
        /** The client's data does not follow the mechanism's syntax (bad UTF-8, NUL misuse, missing fields). */
        MALFORMED(501, "5.5.2", "Malformed authentication data");

        private final int replyCode;
        private final String enhancedCode;
        private final String text;

        Reason(int replyCode, String enhancedCode, String text) {
            this.replyCode = replyCode;
            this.enhancedCode = enhancedCode;
            this.text = text;
        }

        public int replyCode() {
            return replyCode;
        }

        /** RFC 3463 / RFC 4954 §6 enhanced status code. */
        public String enhancedCode() {
            return enhancedCode;
        }

        /** Reply text safe to send to the client. */
        public String text() {
            return text;
        }
    }
}
