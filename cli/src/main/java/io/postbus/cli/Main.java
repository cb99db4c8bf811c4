package io.postbus.cli;

import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.core.config.ConfigException;
import io.postbus.core.config.ConfigFiles;
import io.postbus.ingress.smtp.ListenerKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code postbus}: one executable, one subcommand per way of running. */
@Command(name = "postbus", mixinStandardHelpOptions = true, version = "Postbus 0.1.0",
        description = "A mail transfer agent built as an event-driven pipeline on Apache Kafka.",
        subcommands = {Main.Up.class, Main.Broker.class, Main.Ingress.class, Main.Auth.class, Main.Spam.class,
                Main.RouterCmd.class, Main.Delivery.class, Main.ConfigReference.class, Main.UserHash.class, DkimKeygenCommand.class,
                SuppressionCommand.class, PostsuperCommand.class, LoadtestCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The launcher: a configuration error is reported plainly, with sysexits' EX_CONFIG. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ConfigException ce) {
                        cmd.getErr().println("postbus: " + ce.getMessage());
                        return 78;
                    }
                    throw e;
                });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Options every running command takes; later sources win: defaults, --config file, flags, --set. */
    static final class Settings {
        @Option(names = "--config", description = "main.cf-style file of key = value settings")
        Path configFile;

        @Option(names = "--set", description = "key=value, repeatable (see `postbus config-reference`)")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = "--data-dir", description = "data directory (default ./data)")
        String dataDir;

        @Option(names = "--bootstrap-servers", description = "use this Kafka cluster instead of the embedded broker")
        String bootstrapServers;

        @Option(names = "--relayhost", description = "send all mail to this next hop, e.g. [127.0.0.1]:2626")
        String relayhost;

        @Option(names = "--expose-kafka", description = "embedded broker on 127.0.0.1:9092 instead of a private port")
        boolean exposeKafka;

        PostbusConfig load() {
            Map<String, String> raw = new LinkedHashMap<>();
            if (configFile != null) {
                raw.putAll(ConfigFiles.read(configFile));
            }
            put(raw, "data.dir", dataDir);
            put(raw, "kafka.bootstrap.servers", bootstrapServers);
            put(raw, "relayhost", relayhost);
            if (exposeKafka) {
                raw.putIfAbsent("kafka.embedded.port", "9092");
            }
            raw.putAll(set);
            return PostbusConfig.parse(raw);
        }

        private static void put(Map<String, String> raw, String key, String value) {
            if (value != null) {
                raw.put(key, value);
            }
        }
    }

    /** Runs until SIGTERM/Ctrl-C, then stops gracefully. */
    static int runUntilStopped(PostbusConfig config, Set<Component> components, PrintStream out) throws InterruptedException {
        Pipeline pipeline = Pipeline.start(config, components, Clock.systemUTC(), null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            stopped.countDown();
        }, "postbus-shutdown"));
        printSummary(config, pipeline, out);
        stopped.await();
        return 0;
    }

    static void printSummary(PostbusConfig config, Pipeline p, PrintStream out) {
        out.println("Postbus 0.1.0 running as node " + config.nodeName() + " (" + config.hostname() + ")");
        out.println("  kafka        " + p.bootstrapServers()
                + (p.hasEmbeddedBroker() ? "  (embedded, data in " + config.dataDir().resolve("kafka") + ")" : "  (external)"));
        Map<ListenerKind, Integer> ports = p.smtpPorts();
        describe(out, config, ports, ListenerKind.SMTP, "smtp.listen", "smtp", "MX, STARTTLS offered");
        describe(out, config, ports, ListenerKind.SUBMISSION, "submission.listen", "submission", "STARTTLS, then AUTH");
        describe(out, config, ports, ListenerKind.SUBMISSIONS, "submissions.listen", "submissions", "implicit TLS, then AUTH");
        if (p.httpPort() > 0) {
            out.println("  http         " + config.listen("http.listen").host() + ":" + p.httpPort() + "  (/metrics, /health)");
        }
        String relay = config.values().string("relayhost");
        out.println("  delivery     " + (relay.isEmpty() ? "MX lookup" : "relayhost " + relay));
        out.println("  stages       " + p.stages().stream().map(s -> s.name()).toList());
        out.println("Ready. Stop with Ctrl-C.");
        out.flush();
    }

    private static void describe(PrintStream out, PostbusConfig config, Map<ListenerKind, Integer> ports, ListenerKind kind,
                                 String key, String label, String what) {
        Integer port = ports.get(kind);
        if (port != null) {
            out.printf("  %-12s %s:%d  (%s)%n", label, config.listen(key).host(), port, what);
        }
    }

    @Command(name = "up", description = "Start Postbus: the embedded Kafka broker (unless --bootstrap-servers) and every stage in one JVM.")
    static final class Up implements Callable<Integer> {
        @Mixin
        Settings settings;

        @Override
        public Integer call() throws Exception {
            return runUntilStopped(settings.load(), Component.all(), System.out);
        }
    }

    @Command(name = "broker", description = "Run only the embedded Kafka broker (KRaft, one node).")
    static final class Broker implements Callable<Integer> {
        @Mixin
        Settings settings;

        @Override
        public Integer call() throws Exception {
            PostbusConfig config = settings.load();
            EmbeddedKafkaBroker broker = Pipeline.startBroker(config);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                stopped.countDown();
            }));
            System.out.println("Kafka broker on " + broker.bootstrapServers() + ", data in " + config.dataDir().resolve("kafka"));
            stopped.await();
            return 0;
        }
    }

    /** Base of the one-stage commands used in Kubernetes: they need an external cluster. */
    abstract static class StageCommand implements Callable<Integer> {
        @Mixin
        Settings settings;

        abstract Component component();

        @Override
        public Integer call() throws Exception {
            PostbusConfig config = settings.load();
            if (config.embeddedBroker()) {
                throw new ConfigException("a single stage needs a cluster: give --bootstrap-servers (or kafka.bootstrap.servers)");
            }
            return runUntilStopped(config, EnumSet.of(component()), System.out);
        }
    }

    @Command(name = "ingress", description = "Run only the SMTP listeners.")
    static final class Ingress extends StageCommand {
        Component component() {
            return Component.INGRESS;
        }
    }

    @Command(name = "auth-worker", description = "Run only the auth stage.")
    static final class Auth extends StageCommand {
        Component component() {
            return Component.AUTH;
        }
    }

    @Command(name = "spam-worker", description = "Run only the spam stage.")
    static final class Spam extends StageCommand {
        Component component() {
            return Component.SPAM;
        }
    }

    @Command(name = "queue-router", description = "Run only the router.")
    static final class RouterCmd extends StageCommand {
        Component component() {
            return Component.ROUTER;
        }
    }

    @Command(name = "delivery-worker", description = "Run only the delivery stage.")
    static final class Delivery extends StageCommand {
        Component component() {
            return Component.DELIVERY;
        }
    }

    @Command(name = "user-hash", description = "Read a password from standard input and print a user:hash line for smtpd.users.file.")
    static final class UserHash implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", description = "the user name")
        String user;

        @Option(names = "--scram", description = "store SCRAM-SHA-256 credentials (allows SCRAM as well as PLAIN and LOGIN)")
        boolean scram;

        @Override
        public Integer call() throws Exception {
            if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
                throw new ConfigException("a user name must be non-empty, printable, without ':' or spaces");
            }
            java.io.Console console = System.console();
            char[] password = console != null ? console.readPassword("password for %s: ", user)
                    : new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                            .readLine().toCharArray();
            String hash = scram
                    ? io.postbus.ingress.auth.PasswordHashes.scramSha256(password, io.postbus.ingress.auth.PasswordHashes.SCRAM_DEFAULT_ITERATIONS)
                    : io.postbus.ingress.auth.PasswordHashes.argon2id(password);
            java.util.Arrays.fill(password, '\0');
            System.out.println(user + ":" + hash);
            return 0;
        }
    }

    @Command(name = "config-reference", description = "Print every configuration key with its type, default and meaning.")
    static final class ConfigReference implements Runnable {
        @Override
        public void run() {
            System.out.print(PostbusSettings.DEF.toMarkdown());
        }
    }
}
