package io.postbus.loadtest.generator;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x Mail Client as a newsletter application configures it: a pool of long-lived
 * connections, STARTTLS and AUTH PLAIN when the submission asks for them, and fewer messages per
 * connection than a server's session limit (Postbus's smtpd.session.message.limit is 1000).
 * Trusts any certificate: the target is loopback ({@link Submission#target()}) with a throw-away one.
 */
record VertxMail(Vertx vertx, MailClient client) {

    static VertxMail open(GeneratorOptions options, Submission s) {
        MailConfig config = new MailConfig()
                .setHostname(s.target().address().getHostAddress())
                .setPort(s.target().port())
                .setOwnHostname("loadgen.postbus.test")
                .setStarttls(s.startTls() ? StartTLSOptions.REQUIRED : StartTLSOptions.DISABLED)
                .setTrustAll(true)
                .setKeepAlive(true)
                // Room for a connection still being recycled (RSET) while its sender already sends the
                // next message: with a pool of exactly `sessions`, about one run in ten had one
                // sendMail that never completed (vertx-mail-client 5.0.8); at most `sessions`
                // messages are in flight either way, one per sending thread.
                .setMaxPoolSize(2 * options.sessions())
                .setMaxMailsPerConnection(500);
        if (s.authenticates()) {
            config.setLogin(LoginOption.REQUIRED).setAuthMethods("PLAIN").setUsername(s.username()).setPassword(s.password());
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        Vertx vertx = Vertx.vertx();
        return new VertxMail(vertx, MailClient.create(vertx, config));
    }

    void close() {
        try {
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing after the run: nothing depends on it.
        }
    }
}
