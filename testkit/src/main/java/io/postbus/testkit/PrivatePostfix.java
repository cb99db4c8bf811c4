package io.postbus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Postfix as a private instance, the peer Postbus is compared against: its own config and queue
 * under one directory, listening on 127.0.0.1 only, relaying everything to one next hop, no chroot, and,
 * when DKIM signing is on, OpenDKIM as its milter on a UNIX socket (its fastest transport: over TCP each
 * message stalls ~40 ms on delayed ACKs). The system's Postfix (/etc/postfix) is never read or touched.
 *
 * <pre>{@code
 * try (PrivatePostfix postfix = PrivatePostfix.builder().relayTo("127.0.0.1", sinkPort)
 *         .dkim("example.com", "bench", keyPem).concurrency(20).start(dir)) {
 *     send(postfix.smtpAddress());
 *     postfix.awaitQueueEmpty(Duration.ofMinutes(1));
 *     PeerUsage used = postfix.usage();
 * }
 * }</pre>
 *
 * Postfix's master must start as root; as another user every privileged step runs through
 * {@code sudo -n}, and start fails with that said when sudo will not.
 */
public final class PrivatePostfix implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    /** What the builder collected. */
    record Settings(int smtpPort, String relayHost, int relayPort, Dkim dkim, int concurrency,
                    int inFlowDelaySeconds, String hostname, Map<String, String> overrides,
                    Duration sampleInterval, boolean keepFiles) {
        Settings {
            Objects.requireNonNull(relayHost, "relayTo(host, port) is required");
            overrides = Map.copyOf(overrides);
        }
    }

    /** OpenDKIM's signing domain, selector and private key (PEM, PKCS#1 or PKCS#8). */
    record Dkim(String domain, String selector, Path privateKeyPem) {
        Dkim {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }
    }

    private final Path base;
    private final Settings settings;
    private final Privilege privilege;
    private final ProcessUsageSampler sampler;
    private volatile long masterPid = -1;
    private RunningTool opendkim;
    private PeerUsage finalUsage;
    private boolean closed;

    private PrivatePostfix(Path base, Settings settings, Privilege privilege) {
        this.base = base;
        this.settings = settings;
        this.privilege = privilege;
        this.sampler = new ProcessUsageSampler(this::rootPids, settings.sampleInterval());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where to send mail: 127.0.0.1 and the smtpd port. */
    public InetSocketAddress smtpAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.smtpPort());
    }

    /** Postfix's log of this instance (gone after {@link #close} unless the builder kept the files). */
    public Path maillog() {
        return base.resolve("maillog");
    }

    /** CPU and memory of all the instance's processes since start; after {@link #close}, up to the stop. */
    public synchronized PeerUsage usage() {
        return closed ? finalUsage : sampler.usage();
    }

    /** Starts the peak memory figures afresh, e.g. after a warm-up. */
    public void resetPeaks() {
        sampler.resetPeaks();
    }

    /** The instance's processes alive now: master and its children, and OpenDKIM. */
    public List<ProcessHandle> processes() {
        return sampler.liveProcesses();
    }

    /** Messages in the queue (maildrop, incoming, active, deferred, hold): accepted and not yet relayed. */
    public int queueSize() {
        Path spool = base.resolve("spool");
        try {
            QueueFileCounter counter = new QueueFileCounter();
            for (String queue : List.of("maildrop", "incoming", "active", "deferred", "hold")) {
                if (Files.isDirectory(spool.resolve(queue))) {
                    Files.walkFileTree(spool.resolve(queue), counter);
                }
            }
            return counter.files;
        } catch (AccessDeniedException notRoot) {
            // The queue belongs to the postfix user; postqueue asks showq instead (one JSON object a message).
            ToolResult r = ExternalTool.run(COMMAND_TIMEOUT,
                    privilege.command("postqueue", "-c", etc().toString(), "-j")).assertSuccess();
            return (int) r.stdout().lines().filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts queue files while the daemons move and delete them: a file gone meanwhile is simply not counted. */
    private static final class QueueFileCounter extends SimpleFileVisitor<Path> {
        int files;

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
                files++;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }
    }

    public boolean queueIsEmpty() {
        return queueSize() == 0;
    }

    /** Waits until everything accepted has been relayed (or deferred into a queue that then never empties). */
    public void awaitQueueEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int left;
        while ((left = queueSize()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(left + " messages still queued after " + timeout + "; see " + maillog());
            }
            Thread.sleep(50);
        }
    }

    /** Stops Postfix and OpenDKIM, kills whatever of theirs is left, and deletes the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        finalUsage = sampler.usage();
        // Postfix first, so that no smtpd or cleanup opens a milter connection while OpenDKIM stops.
        List<ProcessHandle> postfixProcesses = sampler.liveProcesses().stream()
                .filter(p -> opendkim == null || p.pid() != opendkim.pid()).toList();
        sampler.close();
        closed = true;
        try {
            if (Files.exists(etc().resolve("main.cf"))) {
                ExternalTool.run(COMMAND_TIMEOUT, privilege.command("postfix", "-c", etc().toString(), "stop"));
            }
            awaitExit(postfixProcesses, STOP_TIMEOUT);
            postfixProcesses.stream().filter(ProcessHandle::isAlive).forEach(privilege::kill);
            awaitExit(postfixProcesses, STOP_TIMEOUT);
            if (opendkim != null) {
                opendkim.stop();
            }
        } finally {
            if (!settings.keepFiles()) {
                privilege.deleteTree(base);
            }
        }
    }

    // ---- starting ------------------------------------------------------------------------------

    private void start() throws IOException, InterruptedException {
        Files.createDirectories(etc());
        Files.createDirectories(base.resolve("spool"));
        Path lib = Files.createDirectories(base.resolve("lib"));
        if (privilege.root()) {
            privilege.chown(lib, "postfix"); // master.lock and the TLS caches live there
        }
        Files.writeString(etc().resolve("main.cf"),
                PrivatePostfixFiles.render(PrivatePostfixFiles.mainCf(base, settings, privilege.root())));
        Files.writeString(etc().resolve("master.cf"), PrivatePostfixFiles.masterCf(settings.smtpPort()));
        if (settings.dkim() != null) {
            startOpendkim();
        }
        ToolResult started = ExternalTool.run(COMMAND_TIMEOUT,
                privilege.command("postfix", "-c", etc().toString(), "start"));
        if (!started.succeeded()) {
            throw new IllegalStateException(started.describe("failed") + maillogTail());
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ListeningPorts.isListening(settings.smtpPort())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the private Postfix is not listening on 127.0.0.1:"
                        + settings.smtpPort() + " after " + READY_TIMEOUT + maillogTail());
            }
            Thread.sleep(20);
        }
        masterPid = Long.parseLong(Files.readString(base.resolve("spool/pid/master.pid")).trim());
    }

    private void startOpendkim() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(base.resolve("opendkim"));
        Path key = dir.resolve("dkim.key");
        // OpenDKIM refuses a key others can read; the copy is ours to make safe.
        Files.copy(settings.dkim().privateKeyPem(), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path conf = dir.resolve("opendkim.conf");
        Files.writeString(conf, PrivatePostfixFiles.opendkimConf(dir, settings.dkim(), key));
        opendkim = ExternalTool.start(List.of("opendkim", "-f", "-x", conf.toString()));
        Path socket = dir.resolve("opendkim.sock");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (!opendkim.isAlive() || System.nanoTime() > deadline) {
                ToolResult r = opendkim.stop();
                throw new IllegalStateException(r.describe("did not create " + socket));
            }
            Thread.sleep(20);
        }
    }

    private List<Long> rootPids() {
        List<Long> pids = new ArrayList<>(2);
        if (masterPid > 0) {
            pids.add(masterPid);
        }
        if (opendkim != null) {
            pids.add(opendkim.pid());
        }
        return pids;
    }

    private Path etc() {
        return base.resolve("etc");
    }

    private String maillogTail() {
        try {
            List<String> lines = Files.readAllLines(maillog());
            return "\n--- " + maillog() + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "\n(no maillog: " + e.getMessage() + ")";
        }
    }

    /** Waits for the processes to end; an interrupt cuts the wait short (the caller then kills them). */
    private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // The caller kills what is still alive.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Collects the settings; {@link #start} builds the instance. */
    public static final class Builder {
        private int smtpPort;
        private String relayHost;
        private int relayPort;
        private Dkim dkim;
        private int concurrency = 20;
        private int inFlowDelaySeconds = 1;
        private String hostname = "postfix-peer.invalid";
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Duration sampleInterval = Duration.ofMillis(500);
        private boolean keepFiles;

        private Builder() {
        }

        /** The smtpd port on 127.0.0.1; by default a free one is picked. */
        public Builder smtpPort(int port) {
            this.smtpPort = checkPort(port);
            return this;
        }

        /** The next hop for every message, as relayhost = [host]:port (an address: no DNS). */
        public Builder relayTo(String host, int port) {
            this.relayHost = Objects.requireNonNull(host, "host");
            this.relayPort = checkPort(port);
            return this;
        }

        /** Sign with OpenDKIM as milter: mail whose From domain is {@code domain} gets d=domain, s=selector. */
        public Builder dkim(String domain, String selector, Path privateKeyPem) {
            this.dkim = new Dkim(domain, selector, privateKeyPem);
            return this;
        }

        /** Inbound sessions to serve at once and connections to open to the relay (at least 20); default 20. */
        public Builder concurrency(int sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            this.concurrency = sessions;
            return this;
        }

        /**
         * Postfix's in_flow_delay: how long smtpd may pause before each message when the queue grows faster
         * than it drains. Default 1 s, Postfix's own default; 0 turns the throttle off.
         */
        public Builder inFlowDelay(Duration delay) {
            if (delay.isNegative() || delay.toNanos() % 1_000_000_000L != 0 || delay.getSeconds() > 10) {
                throw new IllegalArgumentException("in_flow_delay is whole seconds from 0 to 10: " + delay);
            }
            this.inFlowDelaySeconds = (int) delay.getSeconds();
            return this;
        }

        /** myhostname, shown in the banner and the Received: field. */
        public Builder hostname(String name) {
            this.hostname = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Any main.cf parameter, applied last (e.g. smtpd_tls_security_level and smtpd_tls_chain_files). */
        public Builder mainCf(String parameter, String value) {
            if (parameter.contains("\n") || value.contains("\n")) {
                throw new IllegalArgumentException("main.cf lines cannot hold a line break");
            }
            overrides.put(parameter, value);
            return this;
        }

        /** How often the processes' memory is sampled for the peaks; CPU time is exact regardless. */
        public Builder usageSampleInterval(Duration interval) {
            this.sampleInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Leave the directory (config, queue, maillog) in place on close, to look at after a failure. */
        public Builder keepFilesOnClose(boolean keep) {
            this.keepFiles = keep;
            return this;
        }

        /**
         * Creates {@code dir} (which must be absent or empty, and is deleted again on close), writes the
         * configuration, starts OpenDKIM if asked, then Postfix, and returns once smtpd listens.
         */
        public PrivatePostfix start(Path dir) throws IOException, InterruptedException {
            ExternalTool.require("postfix");
            if (dkim != null) {
                ExternalTool.require("opendkim");
            }
            Path base = prepareDirectory(dir);
            Settings settings = new Settings(smtpPort == 0 ? FreePort.pick() : smtpPort, relayHost, relayPort,
                    dkim, concurrency, inFlowDelaySeconds, hostname, overrides, sampleInterval, keepFiles);
            PrivatePostfix postfix = new PrivatePostfix(base, settings, Privilege.detect());
            try {
                postfix.start();
                return postfix;
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                postfix.close();
                throw e;
            }
        }

        private static Path prepareDirectory(Path dir) throws IOException {
            Path base = dir.toAbsolutePath().normalize();
            Files.createDirectories(base);
            try (Stream<Path> entries = Files.list(base)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(base + " is not empty: close() would delete what is there");
                }
            }
            // The daemons run as the postfix user and reach the queue, the data directory and the milter
            // socket by absolute path: every directory on the way must let others through.
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path p = base.getParent(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalArgumentException(p + " does not let other users through (o+x), so the "
                            + "postfix user cannot reach " + base);
                }
            }
            return base;
        }

        private static int checkPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            return port;
        }
    }
}
