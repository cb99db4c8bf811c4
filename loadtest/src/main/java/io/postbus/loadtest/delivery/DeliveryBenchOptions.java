package io.postbus.loadtest.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link DeliveryBench} run measures.
 *
 * @param worker      the command that runs a delivery worker: by default {@link WorkerMain} in a JVM of its own
 *                    on this process's class path; e.g. {@code java -cp ... io.postbus.cli.Main delivery-worker}
 *                    works too. The bench appends the cluster, topic prefix, concurrency and TLS level
 * @param sinkHost    the next hop of every job: {@code [sinkHost]:sinkPort}
 * @param concurrency the worker's {@code delivery.concurrency} (conversations at once)
 * @param tls         the worker's {@code delivery.tls}: none, may or encrypt (the sink's certificate is not checked)
 * @param messages    measured jobs, one recipient each
 * @param warmup      jobs delivered first, with the same worker, and left out of the figures
 * @param bodySize    message body bytes after the headers
 * @param timeLimit   the whole run, warm-up included
 * @param label       name in the report
 * @param workerLog   where the worker's output goes; empty = a temporary file, deleted afterwards
 * @param resultFile  one tab-separated line is appended here
 */
public record DeliveryBenchOptions(List<String> worker, String sinkHost, int sinkPort, int concurrency, String tls,
                                   int messages, int warmup, int bodySize, Duration timeLimit, String label,
                                   Optional<Path> workerLog, Optional<Path> resultFile) {
    static final String USAGE = """
            usage: DeliveryBench --sink 127.0.0.1:PORT [options]
              --worker CMD         runs a delivery worker (split on spaces); the bench appends
                                   --bootstrap-servers, --data-dir and --set options (default: java
                                   -Xmx1g, this class path, io.postbus.loadtest.delivery.WorkerMain)
              --sink HOST:PORT     the jobs' next hop, [HOST]:PORT (loopback only)
              --concurrency N      delivery.concurrency (default 20)
              --tls LEVEL          delivery.tls: none, may or encrypt (default none)
              --messages N         measured jobs (default 5000)
              --warmup N           jobs delivered first and left out (default 2000)
              --body-size BYTES    body bytes (default 5120)
              --time-limit D       the whole run, e.g. 300s (default 600s)
              --label NAME         name in the report (default postbus)
              --worker-log FILE    keep the worker's output here
              --result-file FILE   append one tab-separated result line
            """;

    public DeliveryBenchOptions {
        worker = List.copyOf(worker);
        if (worker.isEmpty()) {
            throw new IllegalArgumentException("the worker command is empty");
        }
        if (!sinkHost.startsWith("127.")) {
            throw new IllegalArgumentException("--sink must be a loopback address: " + sinkHost);
        }
        if (sinkPort < 1 || sinkPort > 65535) {
            throw new IllegalArgumentException("sink port out of range: " + sinkPort);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1: " + concurrency);
        }
        if (!List.of("none", "may", "encrypt").contains(tls)) {
            throw new IllegalArgumentException("--tls is none, may or encrypt: " + tls);
        }
        if (messages < 1 || warmup < 0 || bodySize < 2) {
            throw new IllegalArgumentException("--messages must be >= 1, --warmup >= 0, --body-size >= 2");
        }
        Objects.requireNonNull(timeLimit, "timeLimit");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(workerLog, "workerLog");
        Objects.requireNonNull(resultFile, "resultFile");
    }

    public static DeliveryBenchOptions parse(String[] args) {
        List<String> worker = defaultWorker();
        String sink = null;
        int concurrency = 20;
        String tls = "none";
        int messages = 5000;
        int warmup = 2000;
        int bodySize = 5120;
        Duration timeLimit = Duration.ofSeconds(600);
        String label = "postbus";
        Path workerLog = null;
        Path resultFile = null;
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unknown argument: " + flag);
            }
            String value = args[i + 1];
            switch (flag) {
                case "--worker" -> worker = split(value);
                case "--sink" -> sink = value;
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--tls" -> tls = value.toLowerCase(Locale.ROOT);
                case "--messages" -> messages = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--body-size" -> bodySize = Integer.parseInt(value);
                case "--time-limit" -> timeLimit = Duration.ofSeconds(Long.parseLong(value.replaceFirst("s$", "")));
                case "--label" -> label = value;
                case "--worker-log" -> workerLog = Path.of(value);
                case "--result-file" -> resultFile = Path.of(value);
                default -> throw new IllegalArgumentException("unknown argument: " + flag);
            }
        }
        if (sink == null) {
            throw new IllegalArgumentException("--sink is required");
        }
        int colon = sink.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--sink is HOST:PORT: " + sink);
        }
        return new DeliveryBenchOptions(worker, sink.substring(0, colon), Integer.parseInt(sink.substring(colon + 1)),
                concurrency, tls, messages, warmup, bodySize, timeLimit, label, Optional.ofNullable(workerLog),
                Optional.ofNullable(resultFile));
    }

    /**
     * {@link WorkerMain} in a JVM of its own, on this JVM's class path (loadtest and everything it
     * depends on, the delivery-worker included): nothing to build or package first.
     */
    static List<String> defaultWorker() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName());
    }

    private static List<String> split(String command) {
        List<String> parts = new ArrayList<>();
        for (String p : command.trim().split("\\s+")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    /** The jobs' next hop, as the router writes a relayhost: no MX lookup. */
    String nextHop() {
        return "[" + sinkHost + "]:" + sinkPort;
    }
}
