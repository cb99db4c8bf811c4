package io.postbus.cli;

import io.postbus.core.config.ConfigException;
import io.postbus.core.kafka.SuppressionReader;
import io.postbus.core.kafka.SuppressionRecords;
import io.postbus.core.suppression.Suppression;
import io.postbus.core.suppression.SuppressionList;
import io.postbus.core.suppression.SuppressionReason;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code postbus suppression add|remove|list}: the operator's hand on mail.suppression. Entries are
 * records of the compacted topic like those the delivery-worker writes; removal is a tombstone.
 * Needs a cluster (--bootstrap-servers), as the one-stage commands do.
 */
@Command(name = "suppression", description = "Add, remove or list addresses on the suppression list (mail.suppression).",
        subcommands = {SuppressionCommand.Add.class, SuppressionCommand.Remove.class, SuppressionCommand.ListEntries.class})
final class SuppressionCommand implements Runnable {
    static Clock clock = Clock.systemUTC();
    static PrintStream out = System.out;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give add, remove or list");
    }

    static PostbusConfig cluster(Main.Settings settings) {
        PostbusConfig config = settings.load();
        if (config.embeddedBroker()) {
            throw new ConfigException("the suppression list lives in a cluster: give --bootstrap-servers (or kafka.bootstrap.servers)");
        }
        return config;
    }

    static void write(PostbusConfig config, ProducerRecord<byte[], byte[]> rec) throws Exception {
        String bootstrap = config.values().string("kafka.bootstrap.servers");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(config.kafka(bootstrap).producer("postbus-suppression"))) {
            p.send(rec).get(60, TimeUnit.SECONDS);
        }
    }

    @Command(name = "add", description = "Suppress an address (default expiry: suppression.expiry).")
    static final class Add implements Callable<Integer> {
        @Mixin
        Main.Settings settings;

        @Parameters(index = "0", description = "the address, e.g. bob@example.net")
        String address;

        @Option(names = "--reason", defaultValue = "manual", description = "manual, hard_bounce, complaint, unsubscribe")
        String reason;

        @Option(names = "--expires", description = "how long, e.g. 30d, 12h; 0 = never (default: suppression.expiry)")
        String expires;

        @Option(names = "--detail", description = "a note for operators")
        String detail;

        @Override
        public Integer call() throws Exception {
            if (expires != null) {
                settings.set.put("suppression.expiry", expires);
            }
            PostbusConfig config = cluster(settings);
            Suppression s = Suppressions.policy(config.values()).entry(address,
                    SuppressionReason.valueOf(reason.trim().toUpperCase(Locale.ROOT).replace('-', '_')), clock.instant(), detail);
            write(config, SuppressionRecords.entry(config.topics(), s));
            out.println("suppressed " + s.address() + (s.expiresAt() == null ? " until removed" : " until " + s.expiresAt()));
            return 0;
        }
    }

    @Command(name = "remove", description = "Take an address off the list (a tombstone).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        Main.Settings settings;

        @Parameters(index = "0", description = "the address")
        String address;

        @Override
        public Integer call() throws Exception {
            PostbusConfig config = cluster(settings);
            write(config, SuppressionRecords.tombstone(config.topics(), address));
            out.println("removed " + Suppression.key(address));
            return 0;
        }
    }

    @Command(name = "list", description = "Print the live entries: address, reason, since, until, detail (tab-separated).")
    static final class ListEntries implements Callable<Integer> {
        @Mixin
        Main.Settings settings;

        @Override
        public Integer call() throws Exception {
            PostbusConfig config = cluster(settings);
            String bootstrap = config.values().string("kafka.bootstrap.servers");
            SuppressionList list = new SuppressionList();
            try (SuppressionReader reader = SuppressionReader.start(config.kafka(bootstrap), config.topics(),
                    "postbus-suppression-list", list)) {
                if (!reader.awaitCaughtUp(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("could not read " + config.topics().suppression() + " to the end in 60 s");
                }
            }
            Instant now = clock.instant();
            for (Suppression s : list.live(now)) {
                out.println(s.address() + "\t" + s.reason().name().toLowerCase(Locale.ROOT) + "\t" + s.at() + "\t"
                        + (s.expiresAt() == null ? "never" : s.expiresAt().toString()) + "\t"
                        + (s.detail() == null ? "" : s.detail()));
            }
            return 0;
        }
    }
}
