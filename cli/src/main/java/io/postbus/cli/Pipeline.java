package io.postbus.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postbus.auth.AuthWorker;
import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.core.bounce.BounceRules;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dsn.DsnComposer;
import io.postbus.core.dsn.DsnPolicy;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.DsnMail;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.DsnSettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.worker.DeliveryWorker;
import io.postbus.delivery.shaping.BackoffRules;
import io.postbus.delivery.shaping.ShapingConfig;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.worker.DeliveryAgents;
import io.postbus.delivery.worker.OutboundAuth;
import io.postbus.delivery.worker.OutboundTls;
import io.postbus.delivery.smtp.TlsPolicy;
import io.postbus.ingress.kafka.KafkaMessagePublisher;
import io.postbus.ingress.server.IngressServer;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.router.worker.QueueRouter;
import io.postbus.router.core.RecipientSuppression;
import io.postbus.core.kafka.SuppressionReader;
import io.postbus.core.suppression.SuppressionList;
import io.postbus.schemas.Stage;
import io.postbus.router.worker.DsnRouterBounces;
import io.postbus.spam.SpamScorer;
import io.postbus.spam.SpamWorker;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One Postbus process: the embedded broker when no cluster is configured, the topics, the chosen
 * stages, the SMTP listeners and the HTTP endpoint. Stops in the order that loses nothing:
 * listeners first (no new mail), then the stages (each commits its batch), then the broker.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final PostbusConfig config;
    private final EmbeddedKafkaBroker broker;
    private final String bootstrap;
    private final Vertx vertx;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<TransactionalStage> stages = new ArrayList<>();
    private io.postbus.core.kafka.ControlReader control;
    private KafkaMessagePublisher publisher;
    private IngressServer ingress;
    private HttpEndpoint http;
    private int httpPort = -1;
    private SuppressionReader suppressionReader;

    private Pipeline(PostbusConfig config, EmbeddedKafkaBroker broker, String bootstrap) {
        this.config = config;
        this.broker = broker;
        this.bootstrap = bootstrap;
        this.vertx = Vertx.vertx();
    }

    /** Starts what {@code components} names; on any failure, stops what had started and rethrows. */
    public static Pipeline start(PostbusConfig config, Set<Component> components, Clock clock, DnsResolver dns) {
        EmbeddedKafkaBroker broker = config.embeddedBroker() ? startBroker(config) : null;
        String bootstrap = broker != null ? broker.bootstrapServers() : config.values().string("kafka.bootstrap.servers");
        Pipeline p = new Pipeline(config, broker, bootstrap);
        try {
            p.startParts(components, clock, dns == null ? Resolvers.from(config, clock) : dns);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    public static EmbeddedKafkaBroker startBroker(PostbusConfig config) {
        var v = config.values();
        return EmbeddedKafkaBroker.start(BrokerConfig.builder(config.dataDir().resolve("kafka"))
                .host(v.string("kafka.embedded.host"))
                .port(v.integer("kafka.embedded.port"))
                .property("message.max.bytes", Long.toString(Math.max(64L << 20, config.maxMessageBytes())))
                .build());
    }

    private void startParts(Set<Component> components, Clock clock, DnsResolver dns) {
        try (Admin admin = Admin.create(config.kafka(bootstrap).admin("admin"))) {
            new TopicAdmin(admin, Duration.ofSeconds(60)).ensure(config.topicSpecs());
        }
        StageContext ctx = new StageContext(config.kafka(bootstrap), config.topics(), config.nodeName(), clock, metrics);
        var v = config.values();
        if (components.contains(Component.AUTH)) {
            int authThreads = v.integer("auth.concurrency");
            stages.add(AuthWorker.start(ctx, config.auth().build(dns, clock, problem -> log.warn("{}", problem)),
                    authThreads == 0 ? AuthWorker.DEFAULT_CONCURRENCY : authThreads));
        }
        if (components.contains(Component.SPAM)) {
            stages.add(SpamWorker.start(ctx, SpamScorer.authVerdicts(15.0)));
        }
        // One generator per process: the ingress's ids and the DSNs' ids come from the same sequence.
        QueueIdGenerator ids = new QueueIdGenerator(clock, v.integer("node.number"));
        if (components.contains(Component.ROUTER)) {
            String doubleBounce = config.doubleBounceRecipient();
            DsnMail dsnMail = new DsnMail(ctx.topics(), ctx.node(), config.hostname(), clock,
                    new Events(ctx.topics(), Stage.ROUTER, ctx.node(), clock), new DsnPolicy(doubleBounce),
                    new DsnComposer(config.hostname(), v.integer("bounce.size.limit"), clock), ids::next);
            stages.add(new QueueRouter(ctx, config.router(dns, clock), config.routerSettings(),
                    new DsnRouterBounces(dsnMail, config.hostname(), clock), suppressionFor(ctx))
                    .obeying(controls(config, ctx).state(), Controls.RECHECK).start());
        }
        if (components.contains(Component.DELIVERY)) {
            controls(config, ctx);
            DeliverySettings settings = new DeliverySettings(config.hostname(),
                    TlsPolicy.fromPostfixName(v.string("delivery.tls")).orElseThrow(),
                    v.duration("delivery.connect.timeout"), v.duration("delivery.command.timeout"));
            OutboundTls tls = OutboundTls.configure(vertx, dns, clock, v.string("delivery.tls.ca.file"),
                    v.list("delivery.tls.policy.maps"), v.duration("lookup.table.reload.interval"),
                    v.bool("mta.sts.enabled"), p -> log.warn("{}", p));
            RetrySchedule schedule = new RetrySchedule(v.duration("minimal.backoff.time"), v.duration("maximal.backoff.time"),
                    v.list("retry.tiers"));
            BounceClassifier bounces = new BounceClassifier(v.string("bounce.rules.file").isEmpty() ? BounceRules.builtIn()
                    : BounceRules.withUserFile(Path.of(v.string("bounce.rules.file"))));
            DsnSettings dsn = new DsnSettings(config.hostname(), v.duration("delay.warning.time"), v.integer("bounce.size.limit"),
                    config.doubleBounceRecipient());
            SiteShaper shaper = new SiteShaper(
                    v.string("delivery.shaping.file").isEmpty() ? ShapingConfig.defaults() : ShapingConfig.read(Path.of(v.string("delivery.shaping.file"))),
                    v.string("delivery.backoff.rules.file").isEmpty() ? BackoffRules.builtIn()
                            : BackoffRules.withUserFile(Path.of(v.string("delivery.backoff.rules.file"))), clock);
            OutboundAuth auth = OutboundAuth.configure(v.list("delivery.sasl.password.maps"),
                    v.duration("lookup.table.reload.interval"), clock, p -> log.warn("{}", p));
            stages.add(new DeliveryWorker(ctx, DeliveryAgents.standard(vertx, dns, settings, clock, tls, auth, shaper), schedule,
                    v.duration("maximal.queue.lifetime"), bounces, dsn, ids::next)
                    .shaping(shaper)
                    .expiringBouncesAfter(v.duration("bounce.queue.lifetime"))
                    .suppressing(Suppressions.policy(v))
                    .obeying(control.state(), Controls.RECHECK)
                    .concurrency(v.integer("delivery.concurrency")).start());
        }
        if (components.contains(Component.INGRESS)) {
            publisher = new KafkaMessagePublisher(config.kafka(bootstrap), config.topics(), config.nodeName(), clock,
                    v.duration("smtpd.ack.timeout"));
            ingress = new IngressServer(vertx, config.ingress(), publisher, ids::next, clock, dns);
            await(ingress.start().toCompletionStage().toCompletableFuture(), "SMTP listeners");
        }
        Addressing addressing = config.addressing();
        if (addressing.hasTables() && (components.contains(Component.INGRESS) || components.contains(Component.ROUTER))) {
            // Table files are re-read off the event loop; lookups only ever read memory. The ingress
            // and the router share the tables, so one timer serves both.
            long every = Math.max(1000, v.duration("lookup.table.reload.interval").toMillis());
            vertx.setPeriodic(every, id -> vertx.executeBlocking(addressing::refresh)
                    .onSuccess(problems -> problems.forEach(p -> log.warn("{}", p))));
        }
        PostbusConfig.HostPort hp = config.listen("http.listen");
        if (hp != null) {
            http = new HttpEndpoint(vertx, metrics, this::health);
            httpPort = await(http.start(hp.host(), hp.port()).toCompletionStage().toCompletableFuture(), "HTTP listener");
        }
    }

    /** One reader of mail.control per process, shared by the router and the delivery-worker. */
    private io.postbus.core.kafka.ControlReader controls(PostbusConfig config, StageContext ctx) {
        if (control == null) {
            control = Controls.start(config.kafka(bootstrap), ctx);
        }
        return control;
    }

    /** The router's view of mail.suppression: read to the end before routing starts, then followed. */
    private RecipientSuppression suppressionFor(StageContext ctx) {
        suppressionReader = SuppressionReader.start(ctx.kafka(), ctx.topics(), ctx.node() + "-suppression", new SuppressionList());
        try {
            if (!suppressionReader.awaitCaughtUp(Duration.ofSeconds(60))) {
                log.warn("mail.suppression not read to the end within 60 s; routing with what is known so far");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading mail.suppression", e);
        }
        return new RecipientSuppression(suppressionReader.list(), Suppressions.action(config.values()));
    }

    /** Each part and whether it runs; {@code /health} is UP only when all are. */
    public Map<String, Boolean> health() {
        Map<String, Boolean> parts = new LinkedHashMap<>();
        if (broker != null) {
            parts.put("kafka", true);
        }
        for (TransactionalStage s : stages) {
            parts.put(s.name(), s.isRunning());
        }
        if (ingress != null) {
            parts.put("ingress", true);
        }
        return parts;
    }

    /** The router's view of mail.suppression (tests wait on it instead of guessing a delay). */
    SuppressionList routerSuppressions() {
        return suppressionReader == null ? new SuppressionList() : suppressionReader.list();
    }

    /** The operator's standing commands as this process's router and delivery-worker see them (tests wait on it). */
    io.postbus.core.control.ControlState controlState() {
        return control == null ? new io.postbus.core.control.ControlState() : control.state();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public Map<ListenerKind, Integer> smtpPorts() {
        return ingress == null ? Map.of() : ingress.boundPorts();
    }

    public int httpPort() {
        return httpPort;
    }

    public List<TransactionalStage> stages() {
        return List.copyOf(stages);
    }

    public boolean hasEmbeddedBroker() {
        return broker != null;
    }

    @Override
    public void close() {
        if (http != null) {
            quietly(() -> await(http.stop().toCompletionStage().toCompletableFuture(), "HTTP stop"));
        }
        if (ingress != null) {
            quietly(() -> await(ingress.stop().toCompletionStage().toCompletableFuture(), "SMTP stop"));
        }
        if (publisher != null) {
            quietly(publisher::close);
        }
        stages.parallelStream().forEach(s -> quietly(s::close));
        if (suppressionReader != null) {
            quietly(suppressionReader::close);
        }
        if (control != null) {
            quietly(control::close);
        }
        quietly(() -> await(vertx.close().toCompletionStage().toCompletableFuture(), "Vert.x stop"));
        if (broker != null) {
            quietly(broker::close);
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("while stopping: {}", e.toString());
        }
    }
}
