package io.postbus.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What {@link PrivatePostfixBuilder} collected for a {@link PrivatePostfix}. */
record PrivatePostfixSettings(int smtpPort, String relayHost, int relayPort, PrivatePostfixSettings.Dkim dkim,
                              int concurrency, int inFlowDelaySeconds, String hostname, Map<String, String> overrides,
                              Duration sampleInterval, boolean keepFiles) {
    PrivatePostfixSettings {
        Objects.requireNonNull(relayHost, "relayTo(host, port) is required");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        overrides = Map.copyOf(overrides);
    }

    /**
     * OpenDKIM's signing domain, selector and private key (PEM, PKCS#1 or PKCS#8), and the header fields it
     * signs and oversigns (empty: OpenDKIM's defaults, RFC 6376 §5.4.1's list and no oversigning).
     */
    record Dkim(String domain, String selector, Path privateKeyPem, List<String> signedHeaders,
                List<String> oversignedHeaders) {
        Dkim {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            signedHeaders = List.copyOf(signedHeaders);
            oversignedHeaders = List.copyOf(oversignedHeaders);
            List<String> all = new ArrayList<>(signedHeaders);
            all.addAll(oversignedHeaders);
            for (String name : all) {
                if (!name.matches("[!-+\\--9;-~]+")) { // RFC 5322 §3.6.8 ftext, less the comma that separates the list
                    throw new IllegalArgumentException("not a header field name: " + name);
                }
            }
        }
    }
}
