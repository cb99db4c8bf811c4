package io.postbus.loadtest.generator;

import io.postbus.loadtest.bench.LoopbackTarget;
import java.util.Objects;

/**
 * Where and how the generator hands mail to the system under test.
 *
 * @param target   the listener; loopback only ({@link LoopbackTarget} refuses anything else)
 * @param startTls say STARTTLS after the first EHLO
 * @param username SMTP AUTH PLAIN user (RFC 4954, RFC 4616), or null for no AUTH (relay by mynetworks)
 * @param password the user's password, or null with a null username
 * @param sender   envelope sender and From address; its domain is the one being DKIM-signed
 */
public record Submission(LoopbackTarget target, boolean startTls, String username, String password, String sender) {

    public Submission {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sender, "sender");
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together");
        }
        if (username != null && (username.indexOf('\0') >= 0 || password.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("NUL is the SASL PLAIN separator, not allowed in a credential");
        }
        for (String s : new String[] {sender, username, password}) {
            if (s != null && (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0)) {
                throw new IllegalArgumentException("CR/LF in an SMTP parameter");
            }
        }
        if (sender.indexOf('@') <= 0) {
            throw new IllegalArgumentException("sender must be local@domain: " + sender);
        }
    }

    public boolean authenticates() {
        return username != null;
    }

    @Override
    public String toString() {
        return target + (startTls ? " STARTTLS" : "") + (authenticates() ? " AUTH PLAIN as " + username : " (no AUTH)")
                + ", from " + sender;
    }
}
