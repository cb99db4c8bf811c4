package io.postbus.ingress.conformance;

import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicPlan;
import io.postbus.core.kafka.Topics;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.core.net.Cidr;
import io.postbus.ingress.kafka.KafkaMessagePublisher;
import io.postbus.ingress.server.IngressConfig;
import io.postbus.ingress.server.IngressServer;
import io.postbus.ingress.server.ListenerConfig;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.smtp.RelayPolicy;
import io.postbus.testkit.TestKafka;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The real ingress: Vert.x SMTP listener on a free loopback port, publishing accepted mail to the
 * shared test Kafka through the production publisher (so "250 queued" means a broker ack).
 *
 * <p>The OpenSMTPD limits the suite assumes are set as configuration: 1000 recipients per message,
 * 100 messages per session, the 5th error ends the session. Relaying is allowed from 127.0.0.0/8
 * (test.smtp2 relays to foo.bar) and {@code localhost} is ours (root@, gilles@localhost).
 */
final class IngressUnderTest implements AutoCloseable {
    static final int MAX_RECIPIENTS = 1000;
    static final int MAX_MESSAGES_PER_SESSION = 100;
    static final int MAX_ERRORS = 5;
    private static final long KAFKA_MAX_MESSAGE = 64L << 20;

    private final Vertx vertx;
    private final KafkaMessagePublisher publisher;
    private final IngressServer server;
    private final int port;

    private IngressUnderTest(Vertx vertx, KafkaMessagePublisher publisher, IngressServer server, int port) {
        this.vertx = vertx;
        this.publisher = publisher;
        this.server = server;
        this.port = port;
    }

    static IngressUnderTest start() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        Topics topics = new Topics(TestKafka.uniquePrefix("smtpscript"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(new TopicPlan(topics, 1, (short) 1, KAFKA_MAX_MESSAGE,
                    Duration.ofDays(1), Duration.ofDays(1), List.of("default"), List.of("5m")).specs());
        }
        KafkaMessagePublisher publisher = new KafkaMessagePublisher(KafkaSettings.of(bootstrap, KAFKA_MAX_MESSAGE),
                topics, "node", Clock.systemUTC(), Duration.ofSeconds(10));
        IngressConfig config = new IngressConfig("mx.postbus.test", "node",
                List.of(new ListenerConfig(ListenerKind.SMTP, "127.0.0.1", 0)),
                10L << 20, MAX_RECIPIENTS, MAX_ERRORS, MAX_MESSAGES_PER_SESSION,
                io.postbus.ingress.smtp.SessionTimeouts.DEFAULTS, Duration.ofSeconds(10),
                new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of("localhost")),
                null, Duration.ofMinutes(1), // generate a self-signed certificate for STARTTLS
                null, // no SMTP AUTH: the suite speaks to port 25 as an unauthenticated client
                IngressConfig.Limits.DEFAULTS, io.postbus.ingress.dnsbl.DnsblPolicy.DISABLED);
        Vertx vertx = Vertx.vertx();
        IngressServer server = new IngressServer(vertx, config, publisher, new QueueIdGenerator(Clock.systemUTC(), 0)::next,
                Clock.systemUTC());
        try {
            server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            publisher.close();
            throw e;
        }
        return new IngressUnderTest(vertx, publisher, server, server.boundPorts().get(ListenerKind.SMTP));
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            publisher.close();
        }
    }
}
