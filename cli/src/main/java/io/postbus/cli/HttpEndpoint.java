package io.postbus.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /metrics} in Prometheus text format and {@code /health} (200 when every part runs, else 503). */
final class HttpEndpoint {
    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final Supplier<Map<String, Boolean>> health;
    private HttpServer server;

    HttpEndpoint(Vertx vertx, PrometheusMeterRegistry registry, Supplier<Map<String, Boolean>> health) {
        this.vertx = vertx;
        this.registry = registry;
        this.health = health;
    }

    Future<Integer> start(String host, int port) {
        server = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/metrics" -> req.response()
                        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(registry.scrape());
                case "/health" -> {
                    Map<String, Boolean> parts = health.get();
                    boolean up = parts.values().stream().allMatch(b -> b);
                    StringBuilder json = new StringBuilder("{\"status\":\"").append(up ? "UP" : "DOWN").append("\",\"parts\":{");
                    String sep = "";
                    for (var e : parts.entrySet()) {
                        json.append(sep).append('"').append(e.getKey()).append("\":\"").append(e.getValue() ? "UP" : "DOWN").append('"');
                        sep = ",";
                    }
                    json.append("}}");
                    req.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json").end(json.toString());
                }
                default -> req.response().setStatusCode(404).end("not found\n");
            }
        });
        return server.listen(port, host).map(HttpServer::actualPort);
    }

    Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
