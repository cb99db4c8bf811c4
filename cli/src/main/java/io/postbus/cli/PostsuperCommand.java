package io.postbus.cli;

import io.postbus.core.config.ConfigException;
import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlOrder;
import io.postbus.core.control.ControlTarget;
import io.postbus.core.kafka.ControlRecords;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code postbus postsuper}: Postfix's postsuper -h/-H/-d/-r for the Kafka queue, plus suspending a
 * destination or a site. It writes commands to the compacted mail.control topic; the router and the
 * delivery workers obey them before every attempt. The commands name queue ids (or ALL), as Postfix's
 * do; each stays until replaced by a later command for the same target, or until --expires.
 */
@Command(name = "postsuper", sortOptions = false,
        description = "Hold, release, delete or requeue queued mail; suspend or resume a destination or site.")
final class PostsuperCommand implements Callable<Integer> {
    @Option(names = "-h", paramLabel = "QUEUE_ID|ALL", description = "put the message(s) on hold")
    List<String> hold = new ArrayList<>();

    @Option(names = "-H", paramLabel = "QUEUE_ID|ALL", description = "release the message(s) from hold")
    List<String> release = new ArrayList<>();

    @Option(names = "-d", paramLabel = "QUEUE_ID|ALL", description = "delete the message(s), without a report to the sender")
    List<String> delete = new ArrayList<>();

    @Option(names = "-r", paramLabel = "QUEUE_ID|ALL", description = "requeue: attempt the message(s) now (also releases a hold)")
    List<String> requeue = new ArrayList<>();

    @Option(names = "--suspend-site", paramLabel = "SITE", description = "make no attempts for this site until resumed")
    List<String> suspendSite = new ArrayList<>();

    @Option(names = "--resume-site", paramLabel = "SITE")
    List<String> resumeSite = new ArrayList<>();

    @Option(names = "--suspend-destination", paramLabel = "DOMAIN", description = "make no attempts for this destination until resumed")
    List<String> suspendDestination = new ArrayList<>();

    @Option(names = "--resume-destination", paramLabel = "DOMAIN")
    List<String> resumeDestination = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "DURATION", description = "the command ends by itself after this (ISO-8601, e.g. PT2H)")
    Duration expires;

    @Option(names = "--reason", description = "why, for the events and the audit trail")
    String reason;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Mixin
    Main.Settings settings;

    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        List<ControlOrder> orders = orders(clock.instant());
        if (orders.isEmpty()) {
            throw new ConfigException("nothing to do: give -h, -H, -d, -r, --suspend-* or --resume-*");
        }
        PostbusConfig config = settings.load();
        if (config.embeddedBroker()) {
            throw new ConfigException("postsuper writes to a cluster: give --bootstrap-servers (or kafka.bootstrap.servers)");
        }
        String bootstrap = config.values().string("kafka.bootstrap.servers");
        String issuedBy = System.getProperty("user.name", "unknown") + "@" + hostName();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.kafka(bootstrap).producer("postsuper"))) {
            for (ControlOrder o : orders) {
                producer.send(ControlRecords.record(config.topics(), o, issuedBy)).get();
                out.println("postsuper: " + o.action().name().toLowerCase(java.util.Locale.ROOT) + " " + o.target().key()
                        + (o.expiresAt() == null ? "" : " until " + o.expiresAt()));
            }
        }
        return 0;
    }

    /** The commands the options ask for, in the order given per option. */
    List<ControlOrder> orders(Instant now) {
        List<ControlOrder> out = new ArrayList<>();
        messages(out, ControlAction.HOLD, hold, now);
        messages(out, ControlAction.RELEASE, release, now);
        messages(out, ControlAction.DELETE, delete, now);
        messages(out, ControlAction.REQUEUE, requeue, now);
        suspendSite.forEach(s -> out.add(order(ControlAction.SUSPEND, ControlTarget.site(s), now)));
        resumeSite.forEach(s -> out.add(order(ControlAction.RESUME, ControlTarget.site(s), now)));
        suspendDestination.forEach(d -> out.add(order(ControlAction.SUSPEND, ControlTarget.destination(d), now)));
        resumeDestination.forEach(d -> out.add(order(ControlAction.RESUME, ControlTarget.destination(d), now)));
        return out;
    }

    private void messages(List<ControlOrder> out, ControlAction action, List<String> ids, Instant now) {
        for (String id : ids) {
            // Postfix's spelling: ALL in capitals; anything else is a queue id.
            out.add(order(action, id.equals("ALL") ? ControlTarget.all() : ControlTarget.queueId(id), now));
        }
    }

    private ControlOrder order(ControlAction action, ControlTarget target, Instant now) {
        return new ControlOrder(UUID.randomUUID().toString(), action, target, now,
                expires == null ? null : now.plus(expires), reason);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
