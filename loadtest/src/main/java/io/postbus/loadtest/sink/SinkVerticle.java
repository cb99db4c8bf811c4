package io.postbus.loadtest.sink;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One listening instance of the sink. Deployed with {@code instances = eventLoops}, so each
 * instance owns one event loop; Vert.x shares the port among them round-robin.
 */
final class SinkVerticle extends VerticleBase {

    private final SinkConfig config;
    private final int listenPort;
    private final Runnable onConnection;
    private final Consumer<ReceivedMessage> store;
    private final IntConsumer boundPort;

    SinkVerticle(SinkConfig config, int listenPort, Runnable onConnection, Consumer<ReceivedMessage> store,
                 IntConsumer boundPort) {
        this.config = config;
        this.listenPort = listenPort;
        this.onConnection = onConnection;
        this.store = store;
        this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
        NetServerOptions options = new NetServerOptions()
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setIdleTimeout((int) Math.max(1, config.idleTimeout().toSeconds()))
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            onConnection.run();
            new SinkSession(socket, config, store).start();
        });
        // The server closes with the deployment, so stop() has nothing to do.
        return server.listen(listenPort, config.host()).onSuccess(s -> boundPort.accept(s.actualPort()));
    }
}
