package io.postbus.delivery.smtp;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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

    private final SmtpChannel wire;

    private SmtpAuthentication(SmtpChannel wire) {
        this.wire = wire;
    }

    /** Completes when the server said 235; fails with a {@link SmtpException} otherwise. */
    static CompletionStage<Void> authenticate(SmtpChannel wire, EhloCapabilities caps, SaslCredentials credentials) {
        return new SmtpAuthentication(wire).run(caps, credentials);
    }

    private CompletionStage<Void> run(EhloCapabilities caps, SaslCredentials credentials) {
        if (wire.tls().isEmpty()) {
            return Async.failed(unavailable("not sending credentials without TLS: " + wire.peer()
                    + (caps.startTls() ? " did not complete STARTTLS" : " did not offer STARTTLS")
                    + " (SASL security option noplaintext)"));
        }
        Optional<SaslMechanism> chosen = SaslMechanism.choose(caps);
        if (chosen.isEmpty()) {
            return Async.failed(unavailable("SASL authentication failed: " + wire.peer()
                    + " offered no mechanism we support (AUTH "
                    + caps.keywords().getOrDefault("AUTH", "not offered") + ")"));
        }
        return switch (chosen.get()) {
            case SCRAM_SHA_256 -> scram(credentials);
            case PLAIN -> send("AUTH PLAIN " + base64("\0" + credentials.username() + "\0" + credentials.password()))
                    .thenCompose(reply -> finish(SaslMechanism.PLAIN, reply));
            case LOGIN -> login(credentials);
        };
    }

    private CompletionStage<Void> scram(SaslCredentials credentials) {
        ScramSha256Client scram = ScramSha256Client.start(credentials, RANDOM);
        return send("AUTH SCRAM-SHA-256 " + base64(scram.clientFirst())).thenCompose(first -> {
            if (first.code() != 334) {
                return finish(SaslMechanism.SCRAM_SHA_256, first);
            }
            return challenge(first).thenCompose(serverFirst -> {
                ScramSha256Client.Step step = scram.clientFinal(serverFirst);
                if (step instanceof ScramSha256Client.Step.Abort abort) {
                    return cancel(abort.reason());
                }
                return send(base64(((ScramSha256Client.Step.Send) step).message())).thenCompose(last -> {
                    if (last.code() != 334) {
                        return finish(SaslMechanism.SCRAM_SHA_256, last);
                    }
                    return challenge(last).thenCompose(serverFinal -> {
                        if (!scram.verifyServerFinal(serverFinal)) {
                            return cancel("the server's SCRAM signature is wrong: it does not know the password");
                        }
                        // RFC 5802 §3: without the server's proof the exchange is not complete.
                        return send("").thenCompose(done -> finish(SaslMechanism.SCRAM_SHA_256, done));
                    });
                });
            });
        });
    }

    private CompletionStage<Void> login(SaslCredentials credentials) {
        return send("AUTH LOGIN")
                .thenCompose(reply -> reply.code() == 334 ? send(base64(credentials.username())) : Async.done(reply))
                .thenCompose(reply -> reply.code() == 334 ? send(base64(credentials.password())) : Async.done(reply))
                .thenCompose(reply -> finish(SaslMechanism.LOGIN, reply));
    }

    private CompletionStage<SmtpReply> send(String line) {
        return wire.exchange(line, SmtpPhase.AUTH);
    }

    /** 235 is success; anything else ends the attempt on this host. */
    private CompletionStage<Void> finish(SaslMechanism mechanism, SmtpReply reply) {
        if (reply.code() == 235) {
            return Async.done(null);
        }
        if (reply.isClosing()) {
            return Async.failed(SmtpException.rejected(SmtpPhase.AUTH, reply, wire.host(), wire.address()));
        }
        return Async.failed(new TransientSmtpException("SASL authentication failed; server " + wire.peer() + " said: "
                + reply + " (mechanism " + mechanism.saslName() + ")", null, SmtpPhase.AUTH,
                SmtpException.Kind.AUTH_FAILED, reply, wire.host(), wire.address(), List.of()));
    }

    /** RFC 4954 §4: "*" cancels the exchange; the server answers 501. Always fails. */
    private <T> CompletionStage<T> cancel(String reason) {
        return send("*").thenCompose(reply -> Async.failed(new TransientSmtpException("SASL authentication with "
                + wire.peer() + " abandoned: " + reason + " (server said: " + reply + ")", null, SmtpPhase.AUTH,
                SmtpException.Kind.AUTH_FAILED, null, wire.host(), wire.address(), List.of())));
    }

    private CompletionStage<String> challenge(SmtpReply reply) {
        try {
            return Async.done(new String(Base64.getDecoder().decode(reply.text().trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return cancel("the 334 challenge is not base64: " + reply.text());
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
