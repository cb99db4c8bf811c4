package io.postbus.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Postfix's smtp-sink(1), started on a free loopback port, dumping each transaction with -d.
 * Readiness is read from /proc/net/tcp rather than by connecting, because a probe connection
 * would count as a session (and -n limits sessions).
 */
public final class PostfixSmtpSink implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/smtp-sink");

    private final Process process;
    private final int port;
    private final Path dumpDir;

    private PostfixSmtpSink(Process process, int port, Path dumpDir) {
        this.process = process;
        this.port = port;
        this.dumpDir = dumpDir;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && ListeningPorts.readable();
    }

    public static PostfixSmtpSink start(Path dir, String... options) throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        // smtp-sink refuses to run as root without -u, and then writes as that user: it must be
        // able to reach the dump directory (JUnit makes temporary directories owner-only).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(BINARY.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "nobody"));
            }
            command.addAll(List.of("-d", dumps + "/%M."));
            command.addAll(List.of(options));
            command.addAll(List.of("127.0.0.1:" + port, "100"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("smtp-sink-" + port + ".log").toFile()).start();
            if (awaitListening(p, port, Duration.ofSeconds(10))) {
                return new PostfixSmtpSink(p, port, dumps);
            }
            p.destroyForcibly(); // most likely the port was taken in between: try another
        }
        throw new IllegalStateException("smtp-sink did not start; see the logs in " + dir);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for {@code n} dump files and returns them parsed, oldest first. */
    public List<Dump> awaitDumps(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dumpDir)) {
                files = s.sorted().toList();
            }
            if (files.size() >= n) {
                Thread.sleep(100); // smtp-sink closes the file right after the final reply
                List<Dump> dumps = new ArrayList<>();
                for (Path f : files) {
                    dumps.add(Dump.parse(Files.readAllBytes(f)));
                }
                return dumps;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " dumps, found " + files.size());
            }
            Thread.sleep(20);
        }
    }

    public int dumpCount() throws IOException {
        try (Stream<Path> s = Files.list(dumpDir)) {
            return (int) s.count();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One dumped transaction: smtp-sink's X- headers and Received: header, then the message
     * with each line ending in LF, then an empty line (smtp-sink(1), DUMP FILE FORMAT).
     */
    public record Dump(List<String> headers, byte[] message) {
        public static Dump parse(byte[] file) {
            List<String> headers = new ArrayList<>();
            int pos = 0;
            boolean received = false; // smtp-sink's headers end with its folded Received: header
            while (pos < file.length) {
                int nl = indexOf(file, (byte) '\n', pos);
                String line = new String(file, pos, nl - pos, StandardCharsets.ISO_8859_1);
                if (received && !line.startsWith("\t")) {
                    break;
                }
                received |= line.startsWith("Received:");
                headers.add(line);
                pos = nl + 1;
            }
            int end = file.length > pos && file[file.length - 1] == '\n' ? file.length - 1 : file.length;
            byte[] message = new byte[end - pos];
            System.arraycopy(file, pos, message, 0, message.length);
            return new Dump(headers, message);
        }

        public List<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ": ";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length())).toList();
        }

        private static int indexOf(byte[] a, byte b, int from) {
            for (int i = from; i < a.length; i++) {
                if (a[i] == b) {
                    return i;
                }
            }
            return a.length;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** True once 127.0.0.1:port is listening; false if smtp-sink exits or the time runs out. */
    private static boolean awaitListening(Process p, int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (ListeningPorts.isListening(port)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
