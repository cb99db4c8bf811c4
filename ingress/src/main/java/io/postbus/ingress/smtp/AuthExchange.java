package io.postbus.ingress.smtp;

import io.postbus.ingress.auth.Mechanisms;
import io.postbus.ingress.auth.SaslCodec;
import io.postbus.ingress.auth.SaslMechanism;
import io.postbus.ingress.auth.SaslResult;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One SMTP AUTH exchange (RFC 4954 §4) between the session and a SASL mechanism. The mechanism's
 * steps can be expensive (Argon2id), so they are handed out as work for the shell to run off the
 * event loop; this class only frames the dialogue and counts failures against the client.
 */
final class AuthExchange {
    private final SessionAuth auth;
    private final InetAddress client;
    private SaslMechanism mechanism;
    private Supplier<SaslResult> work;

    AuthExchange(SessionAuth auth, InetAddress client) {
        this.auth = auth;
        this.client = client;
    }

    /** Starts an exchange: null when there is SASL work to run, else the refusal. */
    Reply begin(String mechanismName, String initialResponse) {
        if (!auth.limiter().check(client).allowed()) {
            return Reply.of(454, "4.7.0", "Error: too many failed authentication attempts, try again later");
        }
        Optional<SaslMechanism> m = Mechanisms.create(mechanismName, auth.users());
        if (m.isEmpty()) {
            return Reply.of(504, "5.5.4", "Unrecognized authentication type");
        }
        SaslMechanism chosen = m.get();
        if (initialResponse == null) {
            mechanism = chosen;
            work = chosen::start;
            return null;
        }
        if (SaslCodec.decodeInitialResponse(initialResponse) instanceof SaslCodec.Data data) {
            mechanism = chosen;
            work = () -> chosen.start(data.bytes());
            return null;
        }
        return Reply.of(501, "5.5.2", "Invalid base64 data in initial response");
    }

    /** The client's answer to a 334 challenge: null when there is SASL work to run, else the refusal. */
    Reply line(String line) {
        SaslCodec.ClientData d = SaslCodec.decodeResponse(line);
        if (d instanceof SaslCodec.Data data) {
            SaslMechanism m = mechanism;
            work = () -> m.respond(data.bytes());
            return null;
        }
        mechanism = null;
        return d instanceof SaslCodec.Cancel
                ? Reply.of(501, "5.7.0", "Authentication aborted")
                : Reply.of(501, "5.5.2", "Invalid base64 data");
    }

    /**
     * Why AUTH cannot start in this state (RFC 4954 §4: after EHLO, once, outside a transaction; and
     * ours: only over TLS, so no password ever crosses in clear), or null when it can.
     */
    static Reply outOfOrder(boolean esmtp, boolean authenticated, boolean inTransaction, boolean tls) {
        if (!esmtp) {
            return Reply.of(503, "5.5.1", "Error: send EHLO first");
        }
        if (authenticated) {
            return Reply.of(503, "5.5.1", "Error: already authenticated");
        }
        if (inTransaction) {
            return Reply.of(503, "5.5.1", "Error: MAIL transaction in progress");
        }
        if (!tls) {
            return Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
        }
        return null;
    }

    /** Runs the pending SASL step; called by the shell on a worker thread. */
    SaslResult run() {
        return work.get();
    }

    void failed() {
        mechanism = null;
        auth.limiter().recordFailure(client);
    }

    void succeeded() {
        mechanism = null;
    }
}
