package io.postbus.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Collects the settings of a {@link PrivatePostfix}; {@link #start} builds and starts the instance. */
public final class PrivatePostfixBuilder {
    private int smtpPort;
    private String relayHost;
    private int relayPort;
    private PrivatePostfixSettings.Dkim dkim;
    private int concurrency = 20;
    private int inFlowDelaySeconds = 1;
    private String hostname = "postfix-peer.invalid";
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private Duration sampleInterval = Duration.ofMillis(500);
    private boolean keepFiles;

    PrivatePostfixBuilder() {
    }

    /** The smtpd port on 127.0.0.1; by default a free one is picked. */
    public PrivatePostfixBuilder smtpPort(int port) {
        this.smtpPort = checkPort(port);
        return this;
    }

    /** The next hop for every message, as relayhost = [host]:port: an IPv4 address (or a name in /etc/hosts; no DNS). */
    public PrivatePostfixBuilder relayTo(String host, int port) {
        this.relayHost = Objects.requireNonNull(host, "host");
        this.relayPort = checkPort(port);
        return this;
    }

    /**
     * Sign with OpenDKIM as milter: mail whose From domain is {@code domain} gets d=domain, s=selector,
     * c=relaxed/relaxed, rsa-sha256. The header fields are OpenDKIM's defaults unless {@link #dkimHeaders} is called.
     */
    public PrivatePostfixBuilder dkim(String domain, String selector, Path privateKeyPem) {
        this.dkim = new PrivatePostfixSettings.Dkim(domain, selector, privateKeyPem,
                dkim == null ? List.of() : dkim.signedHeaders(), dkim == null ? List.of() : dkim.oversignedHeaders());
        return this;
    }

    /**
     * The header fields OpenDKIM signs (SignHeaders) and oversigns (OversignHeaders, RFC 6376 §8.15). For a
     * fair comparison pass what Postbus signs: DkimSigner.DEFAULT_SIGNED_HEADERS and DEFAULT_OVERSIGNED_HEADERS.
     */
    public PrivatePostfixBuilder dkimHeaders(List<String> signed, List<String> oversigned) {
        if (dkim == null) {
            throw new IllegalStateException("call dkim(domain, selector, key) first");
        }
        this.dkim = new PrivatePostfixSettings.Dkim(dkim.domain(), dkim.selector(), dkim.privateKeyPem(), signed, oversigned);
        return this;
    }

    /** Inbound sessions to serve at once and connections to open to the relay (at least 20); default 20. */
    public PrivatePostfixBuilder concurrency(int sessions) {
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
    public PrivatePostfixBuilder inFlowDelay(Duration delay) {
        if (delay.isNegative() || delay.toNanos() % 1_000_000_000L != 0 || delay.getSeconds() > 10) {
            throw new IllegalArgumentException("in_flow_delay is whole seconds from 0 to 10: " + delay);
        }
        this.inFlowDelaySeconds = (int) delay.getSeconds();
        return this;
    }

    /** myhostname, shown in the banner and the Received: field. */
    public PrivatePostfixBuilder hostname(String name) {
        this.hostname = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Any main.cf parameter, applied last (e.g. smtpd_tls_security_level and smtpd_tls_chain_files). */
    public PrivatePostfixBuilder mainCf(String parameter, String value) {
        if (parameter.contains("\n") || value.contains("\n")) {
            throw new IllegalArgumentException("main.cf lines cannot hold a line break");
        }
        overrides.put(parameter, value);
        return this;
    }

    /** How often the processes' memory is sampled for the peaks; CPU time is exact regardless. */
    public PrivatePostfixBuilder usageSampleInterval(Duration interval) {
        this.sampleInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** Leave the directory (config, queue, maillog) in place on close, to look at after a failure. */
    public PrivatePostfixBuilder keepFilesOnClose(boolean keep) {
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
        Privilege privilege = Privilege.detect();
        Path base = prepareDirectory(dir);
        PrivatePostfixSettings settings = new PrivatePostfixSettings(smtpPort == 0 ? FreePort.pick() : smtpPort,
                relayHost, relayPort, dkim, concurrency, inFlowDelaySeconds, hostname, overrides, sampleInterval,
                keepFiles);
        return PrivatePostfix.start(base, settings, privilege);
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
