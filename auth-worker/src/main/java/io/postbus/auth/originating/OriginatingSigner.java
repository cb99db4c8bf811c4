package io.postbus.auth.originating;

import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dkim.keys.SigningKeys;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import io.postbus.auth.results.ForgedClaims;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sending side of the auth-worker (submission and mynetworks mail): remove claims made in our
 * name, then DKIM-sign with every key the SigningTable gives the From address (several keys at once is
 * how dual RSA + Ed25519 signing and selector rotation work). Signing is the last change any stage makes
 * to the message bytes; later stages pass them on untouched.
 */
public final class OriginatingSigner {
    private final String authservId;
    private final SigningKeysSource keys;
    private final DkimSigner.Settings settings;
    private final Clock clock;

    public OriginatingSigner(String authservId, SigningKeysSource keys, DkimSigner.Settings settings, Clock clock) {
        this.authservId = Objects.requireNonNull(authservId, "authservId");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What signing did. */
    public record Signed(byte[] message, List<DkimSigningKey> keys, Optional<String> problem) {
        public Signed {
            keys = List.copyOf(keys);
        }
    }

    public Signed sign(byte[] message) {
        RawMessage cleaned = RawMessage.parse(ForgedClaims.remove(RawMessage.parse(message), authservId).message());
        Optional<SigningKeys> current = keys.current();
        Optional<String> from = SigningKeys.fromAddress(cleaned);
        if (current.isEmpty() || from.isEmpty()) {
            return new Signed(cleaned.bytes(), List.of(), from.isEmpty() ? Optional.of("no From address") : Optional.empty());
        }
        List<DkimSigningKey> chosen = current.get().keysFor(from.get());
        if (chosen.isEmpty()) {
            return new Signed(cleaned.bytes(), List.of(), Optional.empty());
        }
        try {
            List<HeaderField> signatures = new DkimSigner(chosen, settings, clock).sign(cleaned);
            return new Signed(DkimSigner.prepend(signatures, cleaned.bytes()), chosen, Optional.empty());
        } catch (DkimSigner.UnsignableMessageException e) {
            // Sent unsigned rather than lost: the receiver's DMARC decides, as with any unsigned mail.
            return new Signed(cleaned.bytes(), List.of(), Optional.of(e.getMessage()));
        }
    }
}
