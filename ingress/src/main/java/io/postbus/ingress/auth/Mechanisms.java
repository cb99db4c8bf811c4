package io.postbus.ingress.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SASL mechanisms we offer, by name. All three are always advertised: SCRAM-SHA-256 for a
 * user with only an Argon2id or bcrypt hash fails exactly like a wrong password, so the list
 * says nothing about which users have which credentials.
 */
public final class Mechanisms {

    /** In the order to advertise them: {@code 250-AUTH PLAIN LOGIN SCRAM-SHA-256}. */
    public static final List<String> ADVERTISED =
            List.of(PlainMechanism.NAME, LoginMechanism.NAME, ScramSha256Mechanism.NAME);

    private Mechanisms() {}

    /** A fresh mechanism for one attempt; empty if {@code name} (case-insensitive, RFC 4954 §8) is not ours (reply 504 5.5.4). */
    public static Optional<SaslMechanism> create(String name, UserStore store) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case PlainMechanism.NAME -> Optional.of(new PlainMechanism(store));
            case LoginMechanism.NAME -> Optional.of(new LoginMechanism(store));
            case ScramSha256Mechanism.NAME -> Optional.of(new ScramSha256Mechanism(store));
            default -> Optional.empty();
        };
    }

    /** The EHLO keyword line's value: {@code "PLAIN LOGIN SCRAM-SHA-256"}. */
    public static String ehloParameters() {
        return String.join(" ", ADVERTISED);
    }
}
