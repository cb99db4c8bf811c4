package io.postbus.loadtest.generator;

import io.vertx.core.MultiMap;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One sending thread of the Vert.x Mail Client mode: builds a {@link MailMessage} the way a
 * newsletter application does and waits for {@link MailClient#sendMail}; the client's pool holds
 * the SMTP connections. The client reports only the whole transaction, so the "accept latency"
 * of this mode is from {@code sendMail} to its success (connection wait, MAIL, RCPT, DATA, 250).
 */
final class VertxMailSession implements Runnable {

    private final Generator generator;
    private final GeneratorOptions options;
    private final Submission submission;
    private final AcceptListener listener;
    private final CountDownLatch go;
    private final MailClient client;
    private final SplittableRandom random;
    private final String text;

    VertxMailSession(Generator generator, GeneratorOptions options, Submission submission, AcceptListener listener,
                     CountDownLatch go, MailClient client, int number) {
        this.generator = generator;
        this.options = options;
        this.submission = submission;
        this.listener = listener;
        this.go = go;
        this.client = client;
        this.random = new SplittableRandom(options.seed() * 7919 + number);
        this.text = new String(LoadMessage.body(options.bodySize()), StandardCharsets.US_ASCII);
    }

    @Override
    public void run() {
        try {
            go.await();
            for (long id = generator.claim(); id > 0; id = generator.claim()) {
                List<String> recipients = new ArrayList<>();
                for (int i = 0; i < options.recipientsPerMessage(); i++) {
                    recipients.add("u" + id + "-" + i + "@" + options.domains().sample(random));
                }
                MailMessage m = new MailMessage().setFrom("Newsletter <" + submission.sender() + ">").setTo(recipients)
                        .setSubject("Newsletter issue " + id).setText(text)
                        .setHeaders(MultiMap.caseInsensitiveMultiMap().add(LoadMessage.ID_HEADER, Long.toString(id))
                                .add("List-Unsubscribe", "<mailto:unsubscribe@" + submission.sender().substring(submission.sender().indexOf('@') + 1) + ">"));
                long before = System.nanoTime();
                try {
                    MailResult result = client.sendMail(m).toCompletionStage().toCompletableFuture()
                            .get(options.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    long after = System.nanoTime();
                    generator.accepted.increment();
                    listener.accepted(id, result.getRecipients().isEmpty() ? recipients : result.getRecipients(), after, after - before);
                } catch (ExecutionException e) {
                    // The client does not tell a refusal from a lost connection by type: count it as refused.
                    generator.refused.increment();
                    generator.error(String.valueOf(e.getCause()));
                } catch (TimeoutException e) {
                    generator.ioErrors.increment();
                    generator.error("sendMail timed out after " + options.replyTimeout());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
