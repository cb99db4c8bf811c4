package io.postbus.loadtest.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.bounce.BounceClass;
import io.postbus.core.dns.dnsjava.DnsJavaResolver;
import io.postbus.core.dns.dnsjava.DnsJavaResolverConfig;
import io.postbus.core.kafka.ControlReader;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicPlan;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.core.suppression.SuppressionPolicy;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.DsnSettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.shaping.BackoffRules;
import io.postbus.delivery.shaping.ShapingConfig;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.smtp.TlsPolicy;
import io.postbus.delivery.worker.DeliveryAgents;
import io.postbus.delivery.worker.DeliveryWorker;
import io.postbus.delivery.worker.OutboundAuth;
import io.postbus.delivery.worker.OutboundTls;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * The delivery worker for {@link DeliveryBench}, as a process of its own, built the way {@code postbus
 * delivery-worker} builds it (cli's Pipeline) with Postbus's defaults: the standard delivery agents
 * with the default shaping and backoff rules, the built-in bounce rules, DSNs, suppression of bad
 * mailboxes and domains, the operator's commands from mail.control, the default retry tiers and
 * lifetimes. Left out, because a job to a literal next hop ({@code [127.0.0.1]:port}) never uses them:
 * TLS policy maps, MTA-STS (RFC 8461 applies to MX hosts only) and SASL password maps.
 *
 * <p>It takes the arguments {@link DeliveryBench#workerArgs} gives any worker command, so either this
 * class or the cli's {@code delivery-worker} can be measured: {@code --bootstrap-servers B --data-dir D
 * --set key=value ...}, with the keys kafka.topic.prefix, node.name, delivery.concurrency, delivery.tls
 * and http.listen (only empty: no HTTP endpoint here). It creates the topics, prints "Ready." when its
 * stage runs, and stops on SIGTERM.
 */
public final class WorkerMain {
    /** The sink does not check the EHLO name. */
    private static final String MYHOSTNAME = "bench-worker.postbus.localhost";
    /** Postbus's message.size.limit default: the topics are set up to carry it. */
    private static final long MESSAGE_SIZE_LIMIT = 35L << 20;

    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("WorkerMain: " + e.getMessage());
            System.exit(64);
            return;
        }
        Clock clock = Clock.systemUTC();
        Topics topics = new Topics(s.topicPrefix());
        long maxMessageBytes = TopicPlan.maxMessageBytesFor(MESSAGE_SIZE_LIMIT);
        KafkaSettings kafka = new KafkaSettings(s.bootstrap(), "postbus-" + s.node(), maxMessageBytes, "lz4", Map.of());
        List<String> tiers = List.of("1m", "5m", "15m", "1h", "4h");
        try (Admin admin = Admin.create(kafka.admin("admin"))) {
            new TopicAdmin(admin, Duration.ofSeconds(60)).ensure(new TopicPlan(topics, 6, (short) 1, maxMessageBytes,
                    Duration.ofDays(7), Duration.ofDays(30), List.of("default"), tiers).specs());
        }
        StageContext ctx = new StageContext(kafka, topics, s.node(), clock, new SimpleMeterRegistry());
        ControlReader control = new ControlReader(kafka, topics, s.node()).start();
        if (!control.awaitCaughtUp(Duration.ofSeconds(60))) {
            System.err.println("WorkerMain: mail.control not read to its end within 60 s; starting anyway");
        }

        DeliverySettings settings = new DeliverySettings(MYHOSTNAME, s.tls(), Duration.ofSeconds(30), Duration.ofSeconds(300));
        SiteShaper shaper = new SiteShaper(ShapingConfig.defaults(), BackoffRules.builtIn(), clock);
        QueueIdGenerator ids = new QueueIdGenerator(clock, 0);
        // As `postbus delivery-worker`: one Vert.x for the process; the SMTP client runs on its event loops.
        Vertx vertx = Vertx.vertx();
        TransactionalStage stage = new DeliveryWorker(ctx,
                DeliveryAgents.standard(vertx, new DnsJavaResolver(DnsJavaResolverConfig.defaults(), clock), settings,
                        clock, OutboundTls.defaults(), OutboundAuth.none(), shaper),
                new RetrySchedule(Duration.ofSeconds(300), Duration.ofSeconds(4000), tiers), Duration.ofDays(5),
                BounceClassifier.builtIn(), DsnSettings.defaults(MYHOSTNAME), ids::next)
                .shaping(shaper)
                .expiringBouncesAfter(Duration.ofDays(5))
                .suppressing(new SuppressionPolicy(EnumSet.of(BounceClass.BAD_MAILBOX, BounceClass.BAD_DOMAIN),
                        Duration.ofDays(30)))
                .obeying(control.state(), Duration.ofSeconds(5))
                .concurrency(s.concurrency()).start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stage.close();
            control.close();
            vertx.close();
            stopped.countDown();
        }, "worker-shutdown"));
        System.out.println("Ready. Stop with SIGTERM.");
        System.out.flush();
        stopped.await();
    }

    /** The arguments: what {@link DeliveryBench#workerArgs} passes. */
    record Settings(String bootstrap, String topicPrefix, String node, int concurrency, TlsPolicy tls) {
        static Settings parse(String[] args) {
            String bootstrap = null;
            String prefix = "postbus.";
            String node = "bench-worker";
            int concurrency = 20;
            TlsPolicy tls = TlsPolicy.fromPostfixName("may").orElseThrow();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--bootstrap-servers" -> bootstrap = value;
                    case "--data-dir" -> { } // the cli's worker keeps state there; this one keeps none
                    case "--set" -> {
                        int eq = value.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--set takes key=value: " + value);
                        }
                        String v = value.substring(eq + 1);
                        switch (value.substring(0, eq)) {
                            case "kafka.topic.prefix" -> prefix = v;
                            case "node.name" -> node = v;
                            case "delivery.concurrency" -> concurrency = Integer.parseInt(v);
                            case "delivery.tls" -> tls = TlsPolicy.fromPostfixName(v)
                                    .orElseThrow(() -> new IllegalArgumentException("unknown delivery.tls: " + v));
                            case "http.listen" -> {
                                if (!v.isEmpty()) {
                                    throw new IllegalArgumentException("no HTTP endpoint here: http.listen must be empty");
                                }
                            }
                            default -> throw new IllegalArgumentException("unsupported setting: " + value);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (bootstrap == null) {
                throw new IllegalArgumentException("--bootstrap-servers is required");
            }
            return new Settings(bootstrap, prefix, node, concurrency, tls);
        }
    }
}
