package io.postbus.loadtest.sink;

import io.vertx.core.net.PemKeyCertOptions;
import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;

/**
 * The sink as a process of its own, for benchmarks whose senders are other processes (Postbus's
 * delivery-worker and Postfix's smtp client in scripts/bench-delivery). It keeps counters only and
 * prints them the way Postfix's {@code smtp-sink -c} does, {@code mesg=N conn=M}, one line each time
 * they change (at most every 50 ms), so a script reads the last line for the count. Unlike
 * smtp-sink it can offer STARTTLS.
 *
 * <pre>java -cp loadtest/target/classes:loadtest/target/lib/* io.postbus.loadtest.sink.SinkServer \
 *     --listen 127.0.0.1:2526 [--starttls KEY.pem CERT.pem] [--event-loops 2]</pre>
 */
public final class SinkServer {
    static final String USAGE = "usage: SinkServer --listen 127.0.0.1:PORT [--starttls KEY.pem CERT.pem] [--event-loops N]\n";

    private SinkServer() {}

    public static void main(String[] args) {
        SinkConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("SinkServer: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(64);
            return;
        }
        SmtpSink sink = SmtpSink.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(sink::close));
        report(sink, System.out);
    }

    static SinkConfig parse(String[] args) {
        SinkConfig config = SinkConfig.defaults().withRetainMessages(false).withHostname("sink.bench.example")
                .withIdleTimeout(java.time.Duration.ofMinutes(10));
        boolean listen = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> {
                    String hostPort = value(args, i++);
                    int colon = hostPort.lastIndexOf(':');
                    if (colon < 1 || !hostPort.startsWith("127.")) {
                        throw new IllegalArgumentException("--listen takes 127.x.x.x:PORT (loopback only): " + hostPort);
                    }
                    config = new SinkConfig(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)),
                            config.hostname(), config.maxLineLength(), config.maxMessageSize(), config.eventLoops(),
                            config.retainMessages(), config.idleTimeout(), config.policy(), config.clock(), config.startTls());
                    listen = true;
                }
                case "--starttls" -> {
                    String key = value(args, i++);
                    String cert = value(args, i++);
                    config = config.withStartTls(new PemKeyCertOptions().setKeyPath(key).setCertPath(cert));
                }
                case "--event-loops" -> config = config.withEventLoops(Integer.parseInt(value(args, i++)));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (!listen) {
            throw new IllegalArgumentException("--listen is required");
        }
        return config;
    }

    private static String value(String[] args, int flagIndex) {
        if (flagIndex + 1 >= args.length) {
            throw new IllegalArgumentException(args[flagIndex] + " needs a value");
        }
        return args[flagIndex + 1];
    }

    /** Prints the counters whenever they change, until the process is stopped. */
    private static void report(SmtpSink sink, PrintStream out) {
        out.println("listening on " + sink.host() + ":" + sink.port());
        out.flush();
        long lastMessages = -1;
        long lastConnections = -1;
        while (true) {
            long messages = sink.count();
            long connections = sink.connectionCount();
            if (messages != lastMessages || connections != lastConnections) {
                out.println("mesg=" + messages + " conn=" + connections);
                out.flush();
                lastMessages = messages;
                lastConnections = connections;
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }
}
