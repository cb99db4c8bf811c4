package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.TestKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: one delivery worker holds many SMTP conversations at once, even to one site (one
 * partition). The receiving server greets nobody until twenty connections are open, so the twenty
 * jobs can only be delivered if twenty conversations run at the same time; a worker that delivers
 * one at a time gets "421" on each after the server's wait.
 */
class DeliveryWorkerConcurrencyTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final QueueIdGenerator IDS = new QueueIdGenerator(CLOCK, 6);
    private static final int CONNECTIONS = 20;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void twentyJobsForOneSiteAreDeliveredOverTwentyConversationsAtOnce() throws Exception {
        HoldingServer server = new HoldingServer(CONNECTIONS);
        closing.add(server);
        String bootstrap = TestKafka.bootstrapServers();
        Topics topics = new Topics(TestKafka.uniquePrefix("delivery-concurrent"));
        SinkJobs.ensureOneSiteTopics(bootstrap, topics);
        List<String> recipients = new ArrayList<>();
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            String rcpt = "user" + i + "@example.net";
            recipients.add(rcpt);
            jobs.add(SinkJobs.job(IDS.next(), rcpt, "default", CLOCK.instant(), server.port(), "test"));
        }
        SinkJobs.sendToDefaultSite(bootstrap, topics, jobs);
        CommittedTopic events = new CommittedTopic(bootstrap, topics.events());
        closing.add(events);

        StageContext ctx = new StageContext(new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of()), topics,
                "node-6", CLOCK, new SimpleMeterRegistry());
        var agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                new DeliverySettings("client.postbus.test", false, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        TransactionalStage stage = new DeliveryWorker(ctx, agent,
                new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), List.of("1m")), Duration.ofDays(5))
                .concurrency(CONNECTIONS).start();
        closing.add(stage);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> decoded(events).size() >= CONNECTIONS);
        List<LifecycleEvent> outcomes = decoded(events);
        assertThat(outcomes).as("every job delivered, none deferred").allMatch(e -> e.getType() == EventType.DELIVERY)
                .hasSize(CONNECTIONS);
        assertThat(outcomes.stream().flatMap(e -> e.getRecipients().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(recipients);
        assertThat(server.mostOpenAtOnce()).as("conversations at once").isEqualTo(CONNECTIONS);
        assertThat(server.received()).containsExactlyInAnyOrderElementsOf(recipients);
    }

    private static List<LifecycleEvent> decoded(CommittedTopic events) {
        return events.records().stream().map(r -> Events.codec().decode(r.value())).toList();
    }

    /**
     * An SMTP server (RFC 5321 §4.3.2 replies, no extensions) that holds every new connection before
     * its greeting until {@code quorum} connections are open at once; after 20 s without the quorum
     * it greets with 421 instead (RFC 5321 §3.8), which the client takes as a transient failure.
     */
    private static final class HoldingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final CountDownLatch quorum;
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();
        private final Set<String> received = ConcurrentHashMap.newKeySet();
        private final Thread acceptor;

        HoldingServer(int quorum) throws IOException {
            this.socket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            this.quorum = new CountDownLatch(quorum);
            this.acceptor = new Thread(this::accept, "holding-smtp-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int mostOpenAtOnce() {
            return most.get();
        }

        Set<String> received() {
            return Set.copyOf(received);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread t = new Thread(() -> converse(s), "holding-smtp-" + s.getPort());
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void converse(Socket s) {
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
            quorum.countDown();
            try (s) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                if (!quorum.await(20, TimeUnit.SECONDS)) {
                    reply(out, "421 4.3.2 only " + open.get() + " connections at once, closing");
                    return;
                }
                reply(out, "220 holding.test ESMTP");
                List<String> rcpts = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                    switch (verb) {
                        case "EHLO", "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 2.0.0 ok");
                        case "RCPT" -> {
                            rcpts.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                            reply(out, "250 2.1.5 ok");
                        }
                        case "DATA" -> {
                            reply(out, "354 go ahead");
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                // the message itself is not checked here
                            }
                            received.addAll(rcpts);
                            reply(out, "250 2.0.0 queued");
                        }
                        case "QUIT" -> {
                            reply(out, "221 2.0.0 bye");
                            return;
                        }
                        default -> reply(out, "502 5.5.2 not implemented");
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the conversation ends
            } finally {
                open.decrementAndGet();
            }
        }

        private static void reply(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
