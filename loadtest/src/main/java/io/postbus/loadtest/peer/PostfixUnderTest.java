package io.postbus.loadtest.peer;

import io.postbus.auth.dkim.DkimSigner;
import io.postbus.core.config.ConfigException;
import io.postbus.loadtest.bench.LoopbackTarget;
import io.postbus.loadtest.generator.Submission;
import io.postbus.loadtest.runner.DkimKey;
import io.postbus.loadtest.runner.ProcessUsage;
import io.postbus.loadtest.runner.RunOptions;
import io.postbus.loadtest.runner.SystemUnderTest;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.PeerUsage;
import io.postbus.testkit.PrivatePostfix;
import io.postbus.testkit.PrivatePostfixBuilder;
import io.postbus.testkit.ToolResult;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's Postfix as the load test's peer: a private instance ({@link PrivatePostfix}) relaying
 * everything to the run's sink, taking mail on its port-25 smtpd from mynetworks (it has no SASL:
 * Postfix delegates AUTH to Dovecot or Cyrus, which this instance does not run), serving as many
 * sessions as the generator opens, and, when the run signs, OpenDKIM as its milter on a UNIX socket
 * with the run's key and Postbus's signed and oversigned header lists. Everything else is
 * PrivatePostfix's fast configuration; in_flow_delay stays at Postfix's default (1 s) unless
 * {@code in_flow_delay} is given among the main.cf settings.
 */
public final class PostfixUnderTest implements SystemUnderTest {
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    /** Registered in META-INF/services as "postfix". */
    public static final class Factory implements SystemUnderTest.Factory {
        @Override
        public String name() {
            return "postfix";
        }

        @Override
        public SystemUnderTest create(RunOptions options, Map<String, String> settings) {
            return new PostfixUnderTest(options.generator().sessions(), settings);
        }
    }

    private final int sessions;
    private final Map<String, String> mainCf;
    private PrivatePostfix postfix;
    private boolean signing;
    private Submission endpoint;
    private String described = "not started";

    /**
     * @param sessions the generator's concurrent sessions: smtpd processes and connections to the sink
     * @param mainCf   main.cf parameters applied last (e.g. in_flow_delay = 0s)
     */
    public PostfixUnderTest(int sessions, Map<String, String> mainCf) {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be at least 1");
        }
        this.sessions = sessions;
        this.mainCf = new LinkedHashMap<>(mainCf);
    }

    @Override
    public String name() {
        return "postfix";
    }

    @Override
    public void start(InetSocketAddress relayTo, Optional<DkimKey> dkim, String sender, Path workDir) throws Exception {
        try {
            ExternalTool.require("postfix");
            if (dkim.isPresent()) {
                ExternalTool.require("opendkim");
            }
        } catch (AssertionError missing) {
            throw new ConfigException("--compare postfix: " + missing.getMessage() + (dkim.isPresent() ? " and opendkim" : ""));
        }
        PrivatePostfixBuilder b = PrivatePostfix.builder()
                .relayTo(relayTo.getAddress().getHostAddress(), relayTo.getPort())
                .concurrency(sessions)
                .hostname("postfix.loadtest.test")
                // Like Postbus's run with a deferring sink, retry a deferred message after a second, not
                // Postfix's 300 s; mail the sink takes at once never reaches the deferred queue.
                .mainCf("minimal_backoff_time", "1s")
                .mainCf("maximal_backoff_time", "10s")
                .mainCf("queue_run_delay", "1s");
        if (dkim.isPresent()) {
            DkimKey k = dkim.get();
            b.dkim(k.domain(), k.selector(), k.privateKeyFile())
                    .dkimHeaders(DkimSigner.DEFAULT_SIGNED_HEADERS, DkimSigner.DEFAULT_OVERSIGNED_HEADERS);
        }
        mainCf.forEach(b::mainCf);
        signing = dkim.isPresent();
        postfix = b.start(workDir.resolve("instance"));
        endpoint = new Submission(new LoopbackTarget("127.0.0.1", postfix.smtpAddress().getPort()), false, null, null, sender);
        described = "Postfix " + version(List.of("postconf", "-h", "-d", "mail_version"))
                + " (Debian package), private instance, port 25 from mynetworks, no TLS, no AUTH (Postfix has no SASL of its own),"
                + " process limit and destination concurrency for " + sessions + " sessions, in_flow_delay "
                + mainCf.getOrDefault("in_flow_delay", "1s (Postfix's default)")
                + (dkim.isPresent() ? "; DKIM RSA-2048 by " + version(List.of("opendkim", "-V"))
                        + " as milter on a UNIX socket, same key and header lists as Postbus" : "; no DKIM")
                + "; CPU is every process of the instance (reaped daemons included), memory sampled every 500 ms";
    }

    private static String version(List<String> command) {
        ToolResult r = ExternalTool.run(VERSION_TIMEOUT, command);
        String line = r.stdout().lines().findFirst().orElse("?").strip();
        return line.startsWith("opendkim: ") ? line.substring("opendkim: ".length()) : line;
    }

    @Override
    public Submission submission() {
        if (endpoint == null) {
            throw new IllegalStateException("not started");
        }
        return endpoint;
    }

    @Override
    public void startMeasuring() {
        postfix.resetPeaks();
    }

    @Override
    public ProcessUsage usage() {
        PeerUsage u = postfix.usage();
        return new ProcessUsage("Postfix master, daemons" + (signing ? " and OpenDKIM" : ""),
                u.cpuSeconds(), u.peakRssBytes(), u.peakPssBytes(), u.peakProcesses());
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public void close() {
        if (postfix != null) {
            postfix.close();
            postfix = null;
        }
    }
}
