package io.postbus.ingress.server;

import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicPlan;
import io.postbus.core.kafka.Topics;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.core.net.Cidr;
import io.postbus.core.dns.DnsResolver;
import io.postbus.ingress.auth.PasswordHashes;
import io.postbus.ingress.dnsbl.DnsblPolicy;
import io.postbus.ingress.auth.UserStore;
import io.postbus.ingress.kafka.KafkaMessagePublisher;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.smtp.RelayPolicy;
import io.postbus.ingress.smtp.SessionTimeouts;
import io.postbus.ingress.tls.CertificateSource;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.codec.AvroCodec;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A real ingress (all three listeners on free ports) publishing to a real broker. */
final class IngressFixture implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "correct horse battery staple";
    final Vertx vertx = Vertx.vertx();
    final Topics topics;
    final String bootstrap;
    final KafkaMessagePublisher publisher;
    final IngressServer server;

    IngressFixture(String bootstrap, String prefix, Duration ackTimeout) throws Exception {
        this(bootstrap, prefix, ackTimeout, allListeners());
    }

    IngressFixture(String bootstrap, String prefix, Duration ackTimeout, List<ListenerConfig> listeners) throws Exception {
        this(bootstrap, prefix, ackTimeout, listeners, IngressConfig.Limits.DEFAULTS);
    }

    IngressFixture(String bootstrap, String prefix, Duration ackTimeout, List<ListenerConfig> listeners,
                   IngressConfig.Limits limits) throws Exception {
        this(bootstrap, prefix, ackTimeout, listeners, limits, DnsblPolicy.DISABLED, null);
    }

    IngressFixture(String bootstrap, String prefix, Duration ackTimeout, List<ListenerConfig> listeners,
                   IngressConfig.Limits limits, DnsblPolicy dnsbl, DnsResolver dns) throws Exception {
        this(bootstrap, prefix, ackTimeout, listeners, limits, dnsbl, dns, SessionTimeouts.DEFAULTS);
    }

    IngressFixture(String bootstrap, String prefix, Duration ackTimeout, List<ListenerConfig> listeners,
                   IngressConfig.Limits limits, DnsblPolicy dnsbl, DnsResolver dns, SessionTimeouts timeouts) throws Exception {
        this(bootstrap, prefix, ackTimeout, listeners, limits, dnsbl, dns, timeouts,
                UserStore.parse("alice:" + PasswordHashes.argon2id(PASSWORD) + "\n", "test users"), null);
    }

    /** All three listeners, with these users and this certificate (null: self-signed for mx.test). */
    IngressFixture(String bootstrap, String prefix, Duration ackTimeout, UserStore users, CertificateSource certificate)
            throws Exception {
        this(bootstrap, prefix, ackTimeout, allListeners(), IngressConfig.Limits.DEFAULTS, DnsblPolicy.DISABLED, null,
                SessionTimeouts.DEFAULTS, users, certificate);
    }

    private static List<ListenerConfig> allListeners() {
        return List.of(new ListenerConfig(ListenerKind.SMTP, "127.0.0.1", 0),
                new ListenerConfig(ListenerKind.SUBMISSION, "127.0.0.1", 0),
                new ListenerConfig(ListenerKind.SUBMISSIONS, "127.0.0.1", 0));
    }

    private IngressFixture(String bootstrap, String prefix, Duration ackTimeout, List<ListenerConfig> listeners,
                           IngressConfig.Limits limits, DnsblPolicy dnsbl, DnsResolver dns, SessionTimeouts timeouts,
                           UserStore users, CertificateSource certificate) throws Exception {
        this.bootstrap = bootstrap;
        this.topics = new Topics(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(new TopicPlan(topics, 1, (short) 1, 64L << 20,
                    Duration.ofDays(1), Duration.ofDays(1), List.of("default"), List.of("5m")).specs());
        }
        publisher = new KafkaMessagePublisher(KafkaSettings.of(bootstrap, 64L << 20), topics, "test-node", Clock.systemUTC(), ackTimeout);
        IngressConfig config = new IngressConfig("mx.test", "test-node", listeners,
                1 << 20, 100, 20, 100, timeouts, ackTimeout,
                new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of("example.com")), certificate, Duration.ofMinutes(1),
                users, limits, dnsbl);
        server = new IngressServer(vertx, config, publisher, new QueueIdGenerator(Clock.systemUTC(), 1)::next, Clock.systemUTC(), dns);
        server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    int port(ListenerKind kind) {
        return server.boundPorts().get(kind);
    }

    /** Everything in mail.received so far (waits {@code quiet} for stragglers). */
    List<ReceivedMail> received(Duration quiet) {
        AvroCodec<ReceivedMail> codec = AvroCodec.of(ReceivedMail.class);
        List<ReceivedMail> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            c.subscribe(List.of(topics.received()));
            Instant end = Instant.now().plus(quiet);
            while (Instant.now().isBefore(end)) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(codec.decode(r.value())));
            }
        }
        return out;
    }

    /** The message bytes of a record, as text (ISO-8859-1: every byte survives). */
    static String text(ReceivedMail m) {
        ByteBuffer b = m.getMessage().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        publisher.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
