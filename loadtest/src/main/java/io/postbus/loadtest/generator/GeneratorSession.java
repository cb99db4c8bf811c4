package io.postbus.loadtest.generator;

import io.postbus.loadtest.bench.BenchConnection;
import io.postbus.loadtest.bench.SmtpReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * One session of the generator on its own thread: connect, EHLO, STARTTLS and AUTH PLAIN if the
 * submission asks, then transactions in lock step. A 421 or 452 at MAIL (a session limit such as
 * Postfix's or our smtpd.session.message.limit) sends the same message again on a new connection;
 * any other refusal counts the message as refused.
 */
final class GeneratorSession implements Runnable {

    private static final int MAX_CONSECUTIVE_FAILURES = 5;
    private static final String HELO = "loadgen.postbus.test";

    private final Generator generator;
    private final GeneratorOptions options;
    private final Submission submission;
    private final AcceptListener listener;
    private final CountDownLatch go;
    private final SplittableRandom random;
    private final byte[] body;

    GeneratorSession(Generator generator, GeneratorOptions options, Submission submission, AcceptListener listener,
                     CountDownLatch go, int number) {
        this.generator = generator;
        this.options = options;
        this.submission = submission;
        this.listener = listener;
        this.go = go;
        this.random = new SplittableRandom(options.seed() * 7919 + number);
        this.body = LoadMessage.body(options.bodySize());
    }

    @Override
    public void run() {
        BenchConnection c = null;
        int failures = 0;
        try {
            go.await();
            long id = generator.claim();
            while (id > 0) {
                if (c == null) {
                    c = connect();
                    if (c == null) {
                        if (++failures >= MAX_CONSECUTIVE_FAILURES || !generator.timeLeft()) {
                            generator.ioErrors.increment(); // the claimed message is never sent
                            return;
                        }
                        Thread.sleep(100);
                        continue;
                    }
                }
                try {
                    Outcome outcome = send(c, id);
                    if (outcome == Outcome.RETRY) {
                        c.quit();
                        c = null;
                        if (++failures >= MAX_CONSECUTIVE_FAILURES) {
                            generator.refused.increment();
                            return;
                        }
                        continue; // the same id on a new connection
                    }
                    failures = 0;
                    if (outcome == Outcome.REFUSED) {
                        c.command("RSET");
                    }
                } catch (IOException | RuntimeException e) {
                    generator.ioErrors.increment();
                    generator.error(e.toString());
                    c.close();
                    c = null;
                }
                id = generator.claim();
            }
        } catch (IOException e) {
            generator.error(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (c != null) {
                c.quit();
            }
        }
    }

    private enum Outcome { ACCEPTED, REFUSED, RETRY }

    private Outcome send(BenchConnection c, long id) throws IOException {
        SmtpReply reply = c.command("MAIL FROM:<" + submission.sender() + ">");
        if (!reply.positive()) {
            if (reply.code() == 421 || reply.code() == 452) {
                return Outcome.RETRY;
            }
            return refused(reply);
        }
        List<String> recipients = new ArrayList<>(options.recipientsPerMessage());
        for (int i = 0; i < options.recipientsPerMessage(); i++) {
            String rcpt = "u" + id + "-" + i + "@" + options.domains().sample(random);
            reply = c.command("RCPT TO:<" + rcpt + ">");
            if (reply.positive()) {
                recipients.add(rcpt);
            } else if (reply.closing()) {
                return Outcome.RETRY;
            }
        }
        if (recipients.isEmpty()) {
            return refused(reply);
        }
        reply = c.command("DATA");
        if (reply.code() != 354) {
            return refused(reply);
        }
        c.write(LoadMessage.headers(id, submission.sender(), recipients, ZonedDateTime.now()));
        c.write(body);
        c.flush();
        long before = System.nanoTime();
        c.write(END_OF_DATA);
        c.flush();
        reply = c.readReply();
        long after = System.nanoTime();
        if (!reply.positive()) {
            return refused(reply);
        }
        generator.accepted.increment();
        listener.accepted(id, recipients, after, after - before);
        return Outcome.ACCEPTED;
    }

    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);

    private Outcome refused(SmtpReply reply) {
        generator.refused.increment();
        generator.error("refused: " + reply);
        return Outcome.REFUSED;
    }

    private BenchConnection connect() throws IOException {
        try {
            BenchConnection c = BenchConnection.open(submission.target(),
                    (int) Math.min(Integer.MAX_VALUE, options.replyTimeout().toMillis()), HELO, submission.startTls());
            generator.connections.increment();
            if (submission.authenticates()) {
                String plain = Base64.getEncoder().encodeToString(("\0" + submission.username() + "\0" + submission.password())
                        .getBytes(StandardCharsets.UTF_8));
                SmtpReply reply = c.command("AUTH PLAIN " + plain);
                if (reply.code() != 235) {
                    c.quit();
                    // A wrong password will not get better: stop the session.
                    throw new IOException("AUTH PLAIN answered " + reply);
                }
            }
            return c;
        } catch (java.net.ConnectException | java.net.SocketTimeoutException | java.io.EOFException | java.net.ProtocolException e) {
            generator.error(e.toString());
            return null;
        }
    }
}
