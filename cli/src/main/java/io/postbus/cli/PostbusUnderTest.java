package io.postbus.cli;

import io.postbus.ingress.auth.PasswordHashes;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.bench.LoopbackTarget;
import io.postbus.loadtest.generator.Submission;
import io.postbus.loadtest.runner.DkimKey;
import io.postbus.loadtest.runner.ProcessUsage;
import io.postbus.loadtest.runner.SystemUnderTest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Postbus as the system under test: the whole pipeline in this JVM (the embedded broker, or the
 * cluster named by kafka.bootstrap.servers), relaying everything to the sink. The generator takes
 * the path a newsletter application takes: submission with STARTTLS and AUTH PLAIN, as a user
 * written to a fresh smtpd.users.file; or, with {@code submission = false}, port 25 from
 * mynetworks (127.0.0.0/8). Mail from the DKIM domain is signed with the run's key through an
 * OpenDKIM-style KeyTable and SigningTable.
 */
final class PostbusUnderTest implements SystemUnderTest {
    private static final String USER = "loadtest";

    private final Map<String, String> settings;
    private final boolean submission;
    private Pipeline pipeline;
    private Submission endpoint;
    private String described = "not started";

    /**
     * @param settings   base settings (e.g. kafka.bootstrap.servers, --set values); the runner adds
     *                   listeners, relayhost, DNS, AUTH and DKIM keys unless they are given here
     * @param submission submit on the submission port with STARTTLS and AUTH, else on port 25 unauthenticated
     */
    PostbusUnderTest(Map<String, String> settings, boolean submission) {
        this.settings = Map.copyOf(settings);
        this.submission = submission;
    }

    @Override
    public String name() {
        return "postbus";
    }

    @Override
    public void start(InetSocketAddress relayTo, Optional<DkimKey> dkim, String sender, Path workDir) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("data.dir", workDir.resolve("data").toString());
        s.put("node.name", "loadtest");
        s.put("myhostname", "postbus.loadtest.test");
        s.put("smtp.listen", "127.0.0.1:0");
        s.put("submission.listen", submission ? "127.0.0.1:0" : "");
        s.put("submissions.listen", "");
        s.put("http.listen", "");
        s.put("relayhost", "[" + relayTo.getAddress().getHostAddress() + "]:" + relayTo.getPort());
        // Answers from local zone files only: a load test must not depend on, or load, real DNS.
        Path zones;
        if (dkim.isPresent()) {
            zones = dkim.get().zoneDir();
        } else {
            // The zone-file resolver wants at least one zone: publish the sender's domain, unsigned.
            zones = Files.createDirectories(workDir.resolve("zones"));
            String domain = sender.substring(sender.indexOf('@') + 1);
            Files.writeString(zones.resolve(domain + ".zone"), "$ORIGIN " + domain + ".\n@ 300 IN A 192.0.2.1\n");
        }
        s.put("dns.zone.dir", zones.toString());
        String password = null;
        if (submission) {
            password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
            Path users = workDir.resolve("users");
            Files.writeString(users, USER + ":" + PasswordHashes.argon2id(password) + "\n");
            s.put("smtpd.users.file", users.toString());
        }
        if (dkim.isPresent()) {
            DkimKey k = dkim.get();
            String keyName = k.selector() + "._domainkey." + k.domain();
            Files.writeString(workDir.resolve("KeyTable"), keyName + " " + k.domain() + ":" + k.selector() + ":" + k.privateKeyFile() + "\n");
            Files.writeString(workDir.resolve("SigningTable"), "*@" + k.domain() + " " + keyName + "\n");
            s.put("dkim.key.table", "file:" + workDir.resolve("KeyTable"));
            s.put("dkim.signing.table", "refile:" + workDir.resolve("SigningTable"));
        }
        s.putAll(settings);
        PostbusConfig config = PostbusConfig.parse(s);
        pipeline = Pipeline.start(config, Component.all(), Clock.systemUTC(), null);
        ListenerKind kind = submission ? ListenerKind.SUBMISSION : ListenerKind.SMTP;
        LoopbackTarget target = new LoopbackTarget("127.0.0.1", pipeline.smtpPorts().get(kind));
        endpoint = submission ? new Submission(target, true, USER, password, sender) : new Submission(target, false, null, null, sender);
        described = "Postbus 0.1.0, all stages in one JVM, Kafka " + (pipeline.hasEmbeddedBroker() ? "embedded" : "external "
                + pipeline.bootstrapServers()) + ", " + config.values().integer("kafka.partitions") + " partitions; "
                + (submission ? "submission port, STARTTLS + AUTH PLAIN" : "port 25 from mynetworks, no TLS")
                + (dkim.isPresent() ? "; DKIM RSA-2048 signing" : "; no DKIM") + "; CPU/RSS are the whole runner JVM"
                + " (pipeline" + (pipeline.hasEmbeddedBroker() ? " + broker" : "") + " + generator + sink)";
    }

    @Override
    public boolean runsInThisJvm() {
        return true;
    }

    @Override
    public Submission submission() {
        if (endpoint == null) {
            throw new IllegalStateException("not started");
        }
        return endpoint;
    }

    @Override
    public ProcessUsage usage() {
        return ProcessUsage.self("runner JVM");
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }
}
