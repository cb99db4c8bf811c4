package io.postbus.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a {@link BrokerConfig} and the ports chosen for this start into Kafka broker properties. */
final class BrokerProperties {
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The controller only talks to this process, so it never leaves loopback. */
    static final String CONTROLLER_HOST = "127.0.0.1";

    private BrokerProperties() {
    }

    static Map<String, String> of(BrokerConfig config, int clientPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>(SingleNodeDefaults.properties());
        String dir = config.dataDir().toString();
        String controller = Ports.hostPort(CONTROLLER_HOST, controllerPort);

        // One process is both the broker and the single KRaft voter ("combined mode").
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(config.nodeId()));
        // Log and metadata share one directory, so one path is all a caller has to keep.
        p.put("log.dirs", dir);
        p.put("metadata.log.dir", dir);
        p.put("listeners", CLIENT_LISTENER + "://" + Ports.hostPort(config.host(), clientPort)
                + "," + CONTROLLER_LISTENER + "://" + controller);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + Ports.hostPort(config.advertisedHost(), clientPort));
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        // A static voter set: the port is not written to the metadata log, so it may change per start.
        p.put("controller.quorum.voters", config.nodeId() + "@" + controller);
        // Bounds the wait inside KafkaRaftServer.startup() for the broker to catch up and unfence.
        p.put("server.max.startup.time.ms", Long.toString(config.startupTimeout().toMillis()));

        p.putAll(config.overrides());
        return p;
    }
}
