package io.postbus.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a data directory for KRaft once, and on every later start only reads it back. Kafka
 * refuses to start on an unformatted directory; formatting again would lose every topic, so the
 * decision rests on the meta.properties Kafka itself writes.
 */
final class StorageFormat {
    private static final Logger LOG = LoggerFactory.getLogger(StorageFormat.class);

    private StorageFormat() {
    }

    /**
     * Formats {@code dir} if it holds no meta.properties yet.
     *
     * @return the cluster id stored in the directory, which stays the same across restarts
     */
    static String ensureFormatted(Path dir, int nodeId, String controllerListenerName) {
        MetaPropertiesEnsemble existing = load(dir);
        if (!existing.errorLogDirs().isEmpty()) {
            throw new IllegalStateException("cannot read meta.properties in " + dir);
        }
        if (!existing.logDirProps().isEmpty()) {
            checkNodeId(dir, existing.nodeId(), nodeId);
            String clusterId = existing.clusterId().orElseThrow(
                    () -> new IllegalStateException("meta.properties in " + dir + " has no cluster.id"));
            LOG.debug("{} already formatted for cluster {}", dir, clusterId);
            return clusterId;
        }
        String clusterId = Uuid.randomUuid().toString();
        format(dir, nodeId, controllerListenerName, clusterId);
        return clusterId;
    }

    private static void format(Path dir, int nodeId, String controllerListenerName, String clusterId) {
        // The formatter reports progress on a PrintStream (System.out by default); keep it off stdout.
        // No initial controllers are given: with the static controller.quorum.voters the metadata
        // stays at kraft.version 0, which does not record the controller's port, so a restart may
        // pick a new free port for it.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(controllerListenerName)
                    .setIgnoreFormatted(false)
                    .run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("formatting " + dir + " failed", e);
        }
        LOG.info("formatted {} for new cluster {}", dir, clusterId);
        LOG.debug("formatter report: {}", report.toString(StandardCharsets.UTF_8).strip());
    }

    private static void checkNodeId(Path dir, OptionalInt stored, int configured) {
        if (stored.isPresent() && stored.getAsInt() != configured) {
            throw new IllegalStateException(dir + " belongs to node " + stored.getAsInt()
                    + " but this broker is configured as node " + configured);
        }
    }

    private static MetaPropertiesEnsemble load(Path dir) {
        try {
            return new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(dir.toString()))
                    .addMetadataLogDir(dir.toString())
                    .load();
        } catch (IOException e) {
            throw new UncheckedIOException("reading meta.properties in " + dir, e);
        }
    }
}
