package io.postbus.delivery.smtp;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * SMTP AUTH (RFC 4954) from the client side, after EHLO (and STARTTLS) and before the first MAIL:
 * the mechanism is the best the server offers ({@link SaslMechanism}).
 *
 * <p>Credentials never travel outside TLS (Postfix smtp_sasl_security_options = noplaintext,
 * and stricter: SCRAM too is refused without TLS, since the user name and the relay's password
 * policy are nobody else's business). A session without TLS is a transient failure of the host,
 * as is a refusal of the credentials: Postfix's smtp_sasl_auth_soft_bounce = yes, because a wrong
 * password is a configuration mistake the postmaster fixes while the mail waits, not the
 * recipient's problem.
 */
final class SmtpAuthentication {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SmtpWire wire;

    private SmtpAuthentication(SmtpWire wire) {
        this.wire = wire;
    }

    static void authenticate(SmtpWire wire, EhloCapabilities caps, SaslCredentials credentials) throws SmtpException {
        new SmtpAuthentication(wire).run(caps, credentials);
    }

    private void run(EhloCapabilities caps, SaslCredentials credentials) throws SmtpException {
        if (wire.tls().isEmpty()) {
            throw unavailable("not sending credentials without TLS: " + wire.peer()
                    + (caps.startTls() ? " did not complete STARTTLS" : " did not offer STARTTLS")
                    + " (SASL security option noplaintext)");
        }
        SaslMechanism mechanism = SaslMechanism.choose(caps).orElseThrow(() -> unavailable(
                "SASL authentication failed: " + wire.peer() + " offered no mechanism we support (AUTH "
                        + caps.keywords().getOrDefault("AUTH", "not offered") + ")"));
        switch (mechanism) {
            case SCRAM_SHA_256 -> scram(credentials);
            case PLAIN -> finish(mechanism, send("AUTH PLAIN " + base64("\0" + credentials.username() + "\0"
                    + credentials.password())));
            case LOGIN -> login(credentials);
        }
    }

    private void scram(SaslCredentials credentials) throws SmtpException {
        ScramSha256Client scram = ScramSha256Client.start(credentials, RANDOM);
        SmtpReply first = send("AUTH SCRAM-SHA-256 " + base64(scram.clientFirst()));
        if (first.code() != 334) {
            finish(SaslMechanism.SCRAM_SHA_256, first);
            return;
        }
        ScramSha256Client.Step step = scram.clientFinal(challenge(first));
        if (step instanceof ScramSha256Client.Step.Abort abort) {
            cancel(abort.reason());
        }
        SmtpReply last = send(base64(((ScramSha256Client.Step.Send) step).message()));
        if (last.code() == 334) {
            if (!scram.verifyServerFinal(challenge(last))) {
                cancel("the server's SCRAM signature is wrong: it does not know the password");
            }
            last = send("");
        }
        // RFC 5802 §3: without the server's proof the exchange is not complete.
        finish(SaslMechanism.SCRAM_SHA_256, last);
    }

    private void login(SaslCredentials credentials) throws SmtpException {
        SmtpReply reply = send("AUTH LOGIN");
        if (reply.code() == 334) {
            reply = send(base64(credentials.username()));
        }
        if (reply.code() == 334) {
            reply = send(base64(credentials.password()));
        }
        finish(SaslMechanism.LOGIN, reply);
    }

    private SmtpReply send(String line) throws SmtpException {
        wire.command(line);
        wire.flush(SmtpPhase.AUTH);
        return wire.read(SmtpPhase.AUTH);
    }

    /** 235 is success; anything else ends the attempt on this host. */
    private void finish(SaslMechanism mechanism, SmtpReply reply) throws SmtpException {
        if (reply.code() == 235) {
            return;
        }
        if (reply.isClosing()) {
            throw SmtpException.rejected(SmtpPhase.AUTH, reply, wire.host(), wire.address());
        }
        throw new TransientSmtpException("SASL authentication failed; server " + wire.peer() + " said: " + reply
                + " (mechanism " + mechanism.saslName() + ")", null, SmtpPhase.AUTH, SmtpException.Kind.AUTH_FAILED,
                reply, wire.host(), wire.address(), List.of());
    }

    /** RFC 4954 §4: "*" cancels the exchange; the server answers 501. */
    private void cancel(String reason) throws SmtpException {
        SmtpReply reply = send("*");
        throw new TransientSmtpException("SASL authentication with " + wire.peer() + " abandoned: " + reason
                + " (server said: " + reply + ")", null, SmtpPhase.AUTH, SmtpException.Kind.AUTH_FAILED, null,
                wire.host(), wire.address(), List.of());
    }

    private String challenge(SmtpReply reply) throws SmtpException {
        try {
            return new String(Base64.getDecoder().decode(reply.text().trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            cancel("the 334 challenge is not base64: " + reply.text());
            throw new AssertionError("cancel always throws");
        }
    }

    private SmtpException unavailable(String message) {
        return new TransientSmtpException(message, null, SmtpPhase.AUTH, SmtpException.Kind.AUTH_UNAVAILABLE, null,
                wire.host(), wire.address(), List.of());
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
