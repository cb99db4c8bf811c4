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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Postfix as a private instance, the peer Postbus is compared against: its own config and queue
 * under one directory, listening on 127.0.0.1 only, relaying everything to one next hop, no chroot, and,
 * when DKIM signing is on, OpenDKIM as its milter on a UNIX socket (its fastest transport: over TCP each
 * message was seen to stall ~40 ms on delayed ACKs). The system's Postfix is never started, stopped or
 * written to: only its read-only metadata (/etc/postfix/postfix-files) is used by {@code postfix -c DIR start}.
 * The settings that make it fast (process limits above the session count, no DNS, no slow start, cached
 * connections to the next hop) are explained in {@code PrivatePostfixFiles}.
 *
 * <pre>{@code
 * try (PrivatePostfix postfix = PrivatePostfix.builder().relayTo("127.0.0.1", sinkPort)
 *         .dkim("example.com", "bench", keyPem)
 *         .dkimHeaders(DkimSigner.DEFAULT_SIGNED_HEADERS, DkimSigner.DEFAULT_OVERSIGNED_HEADERS)
 *         .concurrency(20).start(dir)) {
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

    private final Path base;
    private final PrivatePostfixSettings settings;
    private final Privilege privilege;
    private final ProcessUsageSampler sampler;
    private volatile long masterPid = -1;
    private RunningTool opendkim;
    private PeerUsage finalUsage;
    private boolean closed;

    private PrivatePostfix(Path base, PrivatePostfixSettings settings, Privilege privilege) {
        this.base = base;
        this.settings = settings;
        this.privilege = privilege;
        this.sampler = new ProcessUsageSampler(this::rootPids, settings.sampleInterval());
    }

    public static PrivatePostfixBuilder builder() {
        return new PrivatePostfixBuilder();
    }

    /** Where to send mail: 127.0.0.1 and the smtpd port. */
    public InetSocketAddress smtpAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.smtpPort());
    }

    /** Postfix's log of this instance (gone after {@link #close} unless the builder kept the files). */
    public Path maillog() {
        return base.resolve("maillog");
    }

    /**
     * CPU and memory of all the instance's processes (master and every daemon it ran, OpenDKIM with its
     * threads) since start; after {@link #close}, up to the stop. CPU time is exact: live processes' own
     * times plus, through master's cutime/cstime, those of every daemon that has already exited. Memory
     * peaks are sums over the processes alive at each sample (see {@link PeerUsage}).
     */
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

    /** Starts an instance in {@code base} (prepared by the builder); on failure stops what was started. */
    static PrivatePostfix start(Path base, PrivatePostfixSettings settings, Privilege privilege)
            throws IOException, InterruptedException {
        PrivatePostfix postfix = new PrivatePostfix(base, settings, privilege);
        try {
            postfix.start();
            return postfix;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            postfix.close();
            throw e;
        }
    }

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
        // postfix start runs master -w, which returns once master is up: its pid file is there now.
        masterPid = Long.parseLong(Files.readString(base.resolve("spool/pid/master.pid")).trim());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ListeningPorts.isListening(settings.smtpPort())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the private Postfix is not listening on 127.0.0.1:"
                        + settings.smtpPort() + " after " + READY_TIMEOUT + maillogTail());
            }
            Thread.sleep(20);
        }
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
}
