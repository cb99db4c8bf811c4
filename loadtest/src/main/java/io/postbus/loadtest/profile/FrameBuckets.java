package io.postbus.loadtest.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * The profile's library and code buckets: a sample counts for a bucket when any frame of its stack
 * is in one of the bucket's class prefixes (inclusive time). Buckets overlap (DKIM signing includes
 * RSA and SHA-256), so their shares do not add up; the samples in no bucket are reported as such.
 */
public final class FrameBuckets {

    /** @param prefixes class-name prefixes, e.g. "org.apache.avro." */
    public record Bucket(String name, List<String> prefixes) {
        public Bucket {
            prefixes = List.copyOf(prefixes);
            if (prefixes.isEmpty()) {
                throw new IllegalArgumentException("bucket " + name + " without prefixes");
            }
        }

        boolean matches(String className) {
            for (String p : prefixes) {
                if (className.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    public static final List<Bucket> ALL = List.of(
            new Bucket("DKIM signing (Postbus DkimSigner, all of it)", List.of("io.postbus.auth.dkim.DkimSigner")),
            new Bucket("RSA private-key operation (JDK)", List.of("sun.security.rsa.", "java.math.BigInteger", "java.math.MutableBigInteger")),
            new Bucket("SHA-256 hashing (JDK)", List.of("sun.security.provider.SHA2", "sun.security.provider.DigestBase",
                    "java.security.MessageDigest")),
            new Bucket("DKIM verify of the sample at the sink (harness)", List.of("io.postbus.loadtest.runner.DkimSample")),
            new Bucket("message parse / canonicalization (auth.message, dkim body hash)", List.of("io.postbus.auth.message.",
                    "io.postbus.auth.dkim.BodyHash", "io.postbus.auth.dkim.Canonicalization", "io.postbus.core.mail.")),
            new Bucket("SPF / DMARC / ARC", List.of("io.postbus.auth.spf.", "io.postbus.auth.dmarc.", "io.postbus.auth.arc.")),
            new Bucket("Avro encode/decode", List.of("org.apache.avro.", "io.postbus.schemas.")),
            new Bucket("Kafka producer (client send path)", List.of("org.apache.kafka.clients.producer.")),
            new Bucket("Kafka consumer (client poll/fetch)", List.of("org.apache.kafka.clients.consumer.")),
            new Bucket("Kafka record batches (build, CRC, read)", List.of("org.apache.kafka.common.record.", "org.apache.kafka.common.utils.Crc32C",
                    "org.apache.kafka.common.utils.ByteUtils")),
            new Bucket("Kafka compression", List.of("org.apache.kafka.common.compress.", "com.github.luben.zstd.", "org.xerial.snappy.",
                    "net.jpountz.lz4.")),
            new Bucket("Kafka broker: log append/read", List.of("kafka.log.", "org.apache.kafka.storage.internals.log.",
                    "kafka.cluster.Partition", "kafka.server.ReplicaManager")),
            new Bucket("Kafka broker: request handling and network", List.of("kafka.server.", "kafka.network.", "kafka.coordinator.",
                    "org.apache.kafka.network.", "org.apache.kafka.server.", "org.apache.kafka.coordinator.")),
            new Bucket("Kafka KRaft controller/raft", List.of("org.apache.kafka.raft.", "org.apache.kafka.controller.",
                    "org.apache.kafka.metadata.", "org.apache.kafka.image.")),
            new Bucket("Kafka transactions (coordinator and client)", List.of("kafka.coordinator.transaction.",
                    "org.apache.kafka.coordinator.transaction.", "org.apache.kafka.clients.producer.internals.TransactionManager")),
            new Bucket("Kafka network layer (selector, channels)", List.of("org.apache.kafka.common.network.",
                    "org.apache.kafka.clients.NetworkClient")),
            new Bucket("TLS", List.of("sun.security.ssl.", "javax.net.ssl.", "io.netty.handler.ssl.")),
            new Bucket("Netty I/O", List.of("io.netty.")),
            new Bucket("Vert.x", List.of("io.vertx.")),
            new Bucket("socket and file I/O (JDK NIO)", List.of("sun.nio.ch.", "sun.nio.fs.", "java.nio.channels.")),
            new Bucket("SMTP ingress (Postbus session, parser)", List.of("io.postbus.ingress.")),
            new Bucket("routing (queue-router)", List.of("io.postbus.router.")),
            new Bucket("spam scoring", List.of("io.postbus.spam.")),
            new Bucket("SMTP delivery (Postbus client, shaping)", List.of("io.postbus.delivery.")),
            new Bucket("Postbus stage loop (core.kafka)", List.of("io.postbus.core.kafka.")),
            new Bucket("lifecycle events", List.of("io.postbus.core.events.")),
            new Bucket("load generator (harness)", List.of("io.postbus.loadtest.generator.", "io.postbus.loadtest.bench.")),
            new Bucket("sink (harness)", List.of("io.postbus.loadtest.sink.")),
            new Bucket("logging", List.of("org.apache.logging.", "org.slf4j.", "ch.qos.logback.")),
            new Bucket("metrics (Micrometer)", List.of("io.micrometer.")));

    private FrameBuckets() {}

    /** The buckets any of these frames' classes fall in, each once. */
    public static List<Bucket> of(List<String> frameClasses) {
        List<Bucket> hit = new ArrayList<>();
        for (Bucket b : ALL) {
            for (String c : frameClasses) {
                if (b.matches(c)) {
                    hit.add(b);
                    break;
                }
            }
        }
        return hit;
    }
}
