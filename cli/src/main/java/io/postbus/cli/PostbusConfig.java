package io.postbus.cli;

import io.postbus.auth.AuthSetup;
import io.postbus.auth.dkim.Canonicalization;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.keys.SigningKeys;
import io.postbus.auth.dkim.keys.TableSource;
import io.postbus.auth.dmarc.DmarcLocalPolicy;
import io.postbus.auth.results.AuthservId;
import io.postbus.auth.spf.SpfSettings;
import io.postbus.core.config.ConfigException;
import io.postbus.core.config.ConfigValues;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.TopicPlan;
import io.postbus.core.kafka.Topics;
import io.postbus.core.net.Cidr;
import io.postbus.ingress.auth.UserFileException;
import io.postbus.ingress.auth.UserStore;
import io.postbus.ingress.dnsbl.DnsblPolicy;
import io.postbus.ingress.proxy.ProxyPolicy;
import io.postbus.ingress.tls.CertificateSource;
import io.postbus.ingress.server.IngressConfig;
import io.postbus.ingress.server.ListenerConfig;
import io.postbus.ingress.smtp.ClientRateLimits;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.smtp.RelayPolicy;
import io.postbus.ingress.smtp.SessionTimeouts;
import io.postbus.core.address.AddressClassifier;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.router.core.ClassTransports;
import io.postbus.router.core.Router;
import io.postbus.router.core.RouterConfig;
import io.postbus.router.core.RoutingTable;
import io.postbus.router.core.SiteTable;
import io.postbus.router.core.TransportEntry;
import io.postbus.router.worker.QueueRouter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The validated configuration of one Postbus process, with the typed configs each component takes. */
public final class PostbusConfig {
    private final ConfigValues v;
    private final String nodeName;
    private final String hostname;
    private Addressing addressing;

    private PostbusConfig(ConfigValues v) {
        this.v = v;
        String host = localHostName();
        this.nodeName = v.string("node.name").isEmpty() ? host : v.string("node.name");
        this.hostname = v.string("myhostname").isEmpty() ? host : v.string("myhostname");
        validate();
    }

    /** Parses and checks raw key/value pairs; every problem is reported at once. */
    public static PostbusConfig parse(Map<String, String> raw) {
        return new PostbusConfig(PostbusSettings.DEF.parse(raw));
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        for (String net : v.list("mynetworks")) {
            try {
                Cidr.parse(net);
            } catch (RuntimeException e) {
                problems.add("mynetworks entry '" + net + "' is not an address block: " + e.getMessage());
            }
        }
        if (v.string("dkim.key.table").isEmpty() != v.string("dkim.signing.table").isEmpty()) {
            problems.add("dkim.key.table and dkim.signing.table go together: set both to sign, neither to not sign");
        }
        try {
            auth();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            // A domain in two classes (mydestination and relay.domains, say) is one of these problems.
            if (addressing().classifier().isPresent()) {
                problems.addAll(routerProblems());
            }
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        try {
            siteTable();
        } catch (IllegalArgumentException e) {
            problems.add("delivery.sites: " + e.getMessage());
        }
        for (String key : List.of("smtp.listen", "submission.listen", "submissions.listen", "http.listen")) {
            String value = v.string(key);
            if (!value.isEmpty() && !value.matches(".+:\\d{1,5}")) {
                problems.add(key + " must be host:port or empty, not '" + value + "'");
            }
        }
        if (v.string("tls.cert.file").isEmpty() != v.string("tls.key.file").isEmpty()) {
            problems.add("tls.cert.file and tls.key.file go together");
        }
        if (!v.string("tls.pkcs12.file").isEmpty() && !v.string("tls.cert.file").isEmpty()) {
            problems.add("give either tls.pkcs12.file or tls.cert.file/tls.key.file, not both");
        }
        if (!v.list("proxy.protocol.listeners").isEmpty() && v.list("proxy.trusted.networks").isEmpty()) {
            problems.add("proxy.protocol.listeners needs proxy.trusted.networks: the load balancers' addresses");
        }
        for (String net : v.list("proxy.trusted.networks")) {
            try {
                Cidr.parse(net);
            } catch (RuntimeException e) {
                problems.add("proxy.trusted.networks entry '" + net + "' is not an address block");
            }
        }
        if (v.duration("minimal.backoff.time").compareTo(v.duration("maximal.backoff.time")) > 0) {
            problems.add("minimal.backoff.time is longer than maximal.backoff.time");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public ConfigValues values() {
        return v;
    }

    public String nodeName() {
        return nodeName;
    }

    public String hostname() {
        return hostname;
    }

    public Path dataDir() {
        return Path.of(v.string("data.dir"));
    }

    public boolean embeddedBroker() {
        return v.string("kafka.bootstrap.servers").isEmpty();
    }

    public Topics topics() {
        return new Topics(v.string("kafka.topic.prefix"));
    }

    public long maxMessageBytes() {
        return TopicPlan.maxMessageBytesFor(v.size("message.size.limit"));
    }

    public KafkaSettings kafka(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, "postbus-" + nodeName, maxMessageBytes(), v.string("kafka.compression"), Map.of());
    }

    /** The sites with a delivery topic: the shared {@code default} and every configured site. */
    /**
     * Where double bounces are reported, or null for nowhere. A bare local part (the default,
     * {@code postmaster}) is at myhostname, where RFC 5321 §4.5.1 requires a postmaster to exist.
     */
    public String doubleBounceRecipient() {
        String r = v.string("double.bounce.recipient").trim();
        if (r.isEmpty()) {
            return null;
        }
        return r.contains("@") ? r : r + "@" + hostname();
    }

    public List<String> sites() {
        List<String> sites = new ArrayList<>(List.of(RoutingTable.DEFAULT_SITE));
        siteTable().names().stream().filter(s -> !sites.contains(s)).forEach(sites::add);
        return sites;
    }

    /** delivery.sites: configured sites by recipient domain and by MX host pattern. */
    public SiteTable siteTable() {
        return SiteTable.parse(v.list("delivery.sites"));
    }

    public TopicPlan topicPlan() {
        return new TopicPlan(topics(), v.integer("kafka.partitions"), (short) v.integer("kafka.replication.factor"),
                maxMessageBytes(), v.duration("kafka.mail.retention"), v.duration("kafka.events.retention"),
                sites(), v.list("retry.tiers"));
    }

    public RoutingTable routingTable() {
        return new RoutingTable(v.string("relayhost"), siteTable());
    }

    /** Every topic this process may need: the plan's, and the router's mail.reroute. */
    public List<TopicSpec> topicSpecs() {
        List<TopicSpec> specs = new ArrayList<>(topicPlan().specs());
        TopicSpec scored = specs.stream().filter(t -> t.name().equals(topics().scored())).findFirst().orElseThrow();
        specs.add(new TopicSpec(QueueRouter.rerouteTopic(topics()), scored.partitions(), scored.replicationFactor(), scored.configs()));
        return specs;
    }

    /**
     * The queue-router's core over the shared address classes and the live tables, without DNS:
     * MX destinations outside a configured site are sites of their own name (tools and tests).
     */
    public Router router() {
        return new Router(routerConfig());
    }

    /** The queue-router's core, grouping MX destinations into sites by their MX hosts. */
    public Router router(DnsResolver dns, Clock clock) {
        return new Router(routerConfig(), dns, clock);
    }

    /** How long a recipient deferred at routing waits, and when it expires. */
    public QueueRouter.Settings routerSettings() {
        return new QueueRouter.Settings(v.duration("minimal.backoff.time"), v.duration("maximal.queue.lifetime"),
                v.duration("bounce.queue.lifetime"));
    }

    private RouterConfig routerConfig() {
        Addressing a = addressing();
        AddressClassifier classifier = a.classifier().orElseThrow(() -> new ConfigException("myorigin '"
                + (v.string("myorigin").isEmpty() ? hostname : v.string("myorigin"))
                + "' is not a domain name: set myorigin, the queue-router completes unqualified addresses with it"));
        String base = v.string("virtual.mailbox.base");
        String mailbox = v.string("mailbox.transport");
        return RouterConfig.builder(classifier, spoolDirectory())
                .routing(routingTable())
                .transports(new ClassTransports(TransportEntry.parse(v.string("local.transport")),
                        TransportEntry.parse(v.string("virtual.transport")), TransportEntry.parse(v.string("relay.transport")),
                        TransportEntry.parse(v.string("default.transport"))))
                .transportMaps(a.transportMaps())
                .aliasMaps(a.aliasMaps())
                .localUserMaps(a.localUserMaps())
                .canonicalMaps(a.canonicalMaps())
                .senderCanonicalMaps(a.senderCanonicalMaps())
                .recipientCanonicalMaps(a.recipientCanonicalMaps())
                .virtualMailboxBase(base.isEmpty() ? null : Path.of(base))
                .mailboxTransport(mailbox.isEmpty() ? null : TransportEntry.parse(mailbox))
                .build();
    }

    private Path spoolDirectory() {
        String dir = v.string("mail.spool.directory");
        return dir.isEmpty() ? dataDir().resolve("mail").toAbsolutePath().normalize() : Path.of(dir);
    }

    /** What would make the router defer or misroute, found at start instead. */
    private List<String> routerProblems() {
        RouterConfig rc;
        try {
            rc = routerConfig();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
        List<String> problems = new ArrayList<>(addressing().transportProblems());
        if (!v.list("virtual.mailbox.domains").isEmpty() && v.string("virtual.transport").equals("virtual")) {
            if (rc.virtualMailboxBase().isEmpty()) {
                problems.add("virtual.mailbox.base must be set for virtual.transport = virtual (or deliver by lmtp:)");
            } else {
                addressing().virtualMailboxValues().forEach(value -> rc.virtualMailboxProblem(value)
                        .ifPresent(p -> problems.add("virtual.mailbox.maps: " + p)));
            }
        }
        return problems;
    }

    /** The address classes and their tables, read once per process (and re-read when they change). */
    public synchronized Addressing addressing() {
        if (addressing == null) {
            addressing = Addressing.from(v, hostname, Clock.systemUTC());
        }
        return addressing;
    }

    /** The auth-worker's setup; files named here are read when the worker starts, not now. */
    public AuthSetup auth() {
        String authservId = v.string("auth.authserv.id").isEmpty() ? hostname : v.string("auth.authserv.id");
        if (!AuthservId.isValid(authservId)) {
            throw new IllegalArgumentException("auth.authserv.id must be a host name, not '" + authservId + "'");
        }
        String[] c = v.string("dkim.canonicalization").split("/");
        Canonicalization header = Canonicalization.fromTag(c[0]).orElseThrow();
        Canonicalization body = c.length > 1 ? Canonicalization.fromTag(c[1]).orElseThrow() : Canonicalization.SIMPLE;
        DkimSigner.Settings signer = DkimSigner.Settings.defaults().withCanonicalization(header, body);
        if (!v.list("dkim.signed.headers").isEmpty()) {
            signer = new DkimSigner.Settings(header, body, v.list("dkim.signed.headers"),
                    v.list("dkim.signed.headers").stream().anyMatch(h -> h.equalsIgnoreCase("from")) ? List.of("from") : List.of(),
                    Optional.empty());
        }
        if (!v.duration("dkim.signature.ttl").isZero()) {
            signer = signer.withSignatureLifetime(v.duration("dkim.signature.ttl"));
        }
        Optional<SigningKeys.Config> signing = v.string("dkim.key.table").isEmpty() || v.string("dkim.signing.table").isEmpty()
                ? Optional.empty()
                : Optional.of(new SigningKeys.Config(TableSource.parse(v.string("dkim.key.table")),
                        TableSource.parse(v.string("dkim.signing.table")), v.bool("dkim.multiple.signatures")));
        DmarcLocalPolicy cautious = DmarcLocalPolicy.cautious();
        DmarcLocalPolicy dmarc = new DmarcLocalPolicy(
                v.string("dmarc.quarantine.action").equals("quarantine") ? DmarcLocalPolicy.QuarantineHandling.QUARANTINE
                        : DmarcLocalPolicy.QuarantineHandling.SPAM_FLAG,
                v.string("dmarc.reject.action").equals("discard") ? DmarcLocalPolicy.RejectHandling.DISCARD
                        : DmarcLocalPolicy.RejectHandling.QUARANTINE,
                cautious.onUnusableFrom(), cautious.onTempError());
        String arc = v.string("arc.seal.key");
        if (!arc.isEmpty() && arc.split(":", 3).length != 3) {
            throw new IllegalArgumentException("arc.seal.key must be domain:selector:/path/to/key, not '" + arc + "'");
        }
        return new AuthSetup(authservId,
                new DkimVerifier.Settings(v.integer("dkim.minimum.key.bits"), 10, Duration.ofMinutes(5)),
                SpfSettings.defaults(authservId).withCheckHelo(v.bool("spf.helo.check")),
                v.string("dmarc.public.suffix.list").isEmpty() ? Optional.empty() : Optional.of(Path.of(v.string("dmarc.public.suffix.list"))),
                dmarc, signing, signer, v.duration("dkim.reload.interval"),
                arc.isEmpty() ? Optional.empty() : Optional.of(arc));
    }

    public IngressConfig ingress() {
        List<ListenerConfig> listeners = new ArrayList<>();
        addListener(listeners, ListenerKind.SMTP, "smtp.listen");
        addListener(listeners, ListenerKind.SUBMISSION, "submission.listen");
        addListener(listeners, ListenerKind.SUBMISSIONS, "submissions.listen");
        Set<String> ourDomains = new HashSet<>(v.list("mydestination"));
        ourDomains.addAll(v.list("relay.domains"));
        RelayPolicy relay = new RelayPolicy(v.list("mynetworks").stream().map(Cidr::parse).toList(), ourDomains,
                addressing().recipientValidator());
        return new IngressConfig(hostname, nodeName, listeners, v.size("message.size.limit"),
                v.integer("smtpd.recipient.limit"), v.integer("smtpd.hard.error.limit"), v.integer("smtpd.session.message.limit"),
                timeouts(), v.duration("smtpd.ack.timeout"), relay, certificate(), v.duration("tls.reload.interval"), users(),
                new IngressConfig.Limits(v.integer("smtpd.max.sessions"), v.integer("smtpd.client.connection.count.limit"),
                        v.integer("smtpd.client.connection.rate.limit"),
                        new ClientRateLimits.Rates(v.integer("smtpd.client.command.rate.limit"),
                                v.integer("smtpd.client.message.rate.limit"), v.integer("smtpd.client.recipient.rate.limit"))),
                dnsbl());
    }

    private SessionTimeouts timeouts() {
        return new SessionTimeouts(v.duration("smtpd.timeout"), v.duration("smtpd.record.deadline"),
                v.duration("smtpd.data.timeout"), v.duration("smtpd.bdat.timeout"), v.duration("smtpd.tls.handshake.timeout"),
                v.duration("smtpd.session.max.duration"));
    }

    /** PEM files or a PKCS#12 file; null = a self-signed certificate made at start. */
    private CertificateSource certificate() {
        if (!v.string("tls.pkcs12.file").isEmpty()) {
            return new CertificateSource.Pkcs12File(Path.of(v.string("tls.pkcs12.file")), v.string("tls.pkcs12.password"));
        }
        if (!v.string("tls.cert.file").isEmpty()) {
            return new CertificateSource.PemFiles(Path.of(v.string("tls.cert.file")), Path.of(v.string("tls.key.file")));
        }
        return null;
    }

    private DnsblPolicy dnsbl() {
        try {
            return DnsblPolicy.parse(v.string("dnsbl.sites"), v.integer("dnsbl.threshold"), v.duration("dnsbl.timeout"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("dnsbl.sites: " + e.getMessage());
        }
    }

    /** The SMTP AUTH users file, or null when AUTH is off. */
    private UserStore users() {
        String file = v.string("smtpd.users.file");
        if (file.isEmpty()) {
            return null;
        }
        try {
            return UserStore.load(Path.of(file));
        } catch (UserFileException e) {
            throw new ConfigException(e.problems().stream()
                    .map(p -> "smtpd.users.file " + file + ":" + p.line() + ": " + p.message()).toList());
        } catch (IOException e) {
            throw new ConfigException("smtpd.users.file: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** host and port of an optional listener key; null when it is switched off. */
    public HostPort listen(String key) {
        String value = v.string(key);
        if (value.isEmpty()) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostPort(host, Integer.parseInt(value.substring(colon + 1)));
    }

    public record HostPort(String host, int port) {}

    private void addListener(List<ListenerConfig> out, ListenerKind kind, String key) {
        HostPort hp = listen(key);
        if (hp == null) {
            return;
        }
        String name = key.substring(0, key.indexOf('.'));
        ProxyPolicy proxy = v.list("proxy.protocol.listeners").contains(name)
                ? ProxyPolicy.required(v.list("proxy.trusted.networks").stream().map(Cidr::parse).toList())
                : ProxyPolicy.off();
        Duration pause = kind == ListenerKind.SMTP ? v.duration("smtpd.greet.pause") : Duration.ZERO;
        out.add(new ListenerConfig(kind, hp.host(), hp.port(), proxy, pause));
    }


    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
