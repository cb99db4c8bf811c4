package io.postbus.ingress.smtp;

import java.util.List;
import java.util.Set;

/** The envelope of one accepted SMTP transaction, in protocol terms (mapped to Avro by the shell). */
public final class Envelope {
    private Envelope() {}

    public enum Body { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    public enum Ret { FULL, HDRS }

    public enum Notify { SUCCESS, FAILURE, DELAY, NEVER }

    /** MAIL FROM and its parameters; address "" is the null reverse-path. */
    public record Sender(String address, Long declaredSize, Body body, boolean smtpUtf8, Ret ret, String envelopeId,
                         String authParam, boolean requireTls) {}

    /** RCPT TO and its DSN parameters (RFC 3461). */
    public record Recipient(String address, Set<Notify> notifyOn, String originalRecipient) {
        public Recipient {
            notifyOn = Set.copyOf(notifyOn);
        }
    }

    /** Everything the shell needs to publish a message after end of DATA. */
    public record Accepted(String queueId, String helo, String protocol, Sender sender, List<Recipient> recipients,
                           boolean originating, byte[] message) {
        public Accepted {
            recipients = List.copyOf(recipients);
        }
    }
}
