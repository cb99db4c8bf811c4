package io.postbus.delivery.smtp;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The SASL mechanisms the client speaks, most preferred first. */
public enum SaslMechanism {
    /** RFC 7677: the password never crosses the wire, and the server proves it knows it too. */
    SCRAM_SHA_256("SCRAM-SHA-256"),
    /** RFC 4616: the password in one line (only ever inside TLS). */
    PLAIN("PLAIN"),
    /** The old, unstandardised two-prompt exchange; the last resort (draft-murchison-sasl-login). */
    LOGIN("LOGIN");

    private final String saslName;

    SaslMechanism(String saslName) {
        this.saslName = saslName;
    }

    /** The name in the AUTH command and the EHLO reply (RFC 4422 §3.1). */
    public String saslName() {
        return saslName;
    }

    /**
     * The best mechanism the server offered in its EHLO reply's AUTH keyword (RFC 4954 §3), or
     * empty when it offered none we speak. Also reads the pre-standard {@code AUTH=PLAIN LOGIN}
     * line some old servers send instead.
     */
    public static Optional<SaslMechanism> choose(EhloCapabilities caps) {
        Set<String> offered = new HashSet<>();
        for (Map.Entry<String, String> e : caps.keywords().entrySet()) {
            String keyword = e.getKey();
            if (keyword.equals("AUTH")) {
                addWords(offered, e.getValue());
            } else if (keyword.startsWith("AUTH=")) {
                addWords(offered, keyword.substring(5) + " " + e.getValue());
            }
        }
        for (SaslMechanism m : values()) {
            if (offered.contains(m.saslName)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static void addWords(Set<String> offered, String words) {
        for (String w : words.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                offered.add(w.toUpperCase(Locale.ROOT));
            }
        }
    }
}
