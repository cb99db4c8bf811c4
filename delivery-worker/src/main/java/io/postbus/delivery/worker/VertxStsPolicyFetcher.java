package io.postbus.delivery.worker;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.delivery.mtasts.StsPolicyFetcher;
import io.postbus.delivery.smtp.TrustAnchors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTPS shell of MTA-STS (RFC 8461 §3.3): GET https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt.
 * The policy host's address comes from Postbus's own {@link DnsResolver} (zone files in tests), and
 * Vert.x connects to that address ({@link RequestOptions#setServer}) while sending SNI for, and
 * verifying the certificate against, the name {@code mta-sts.<domain>} with the same trust anchors
 * as SMTP. No redirects, no HTTP cache, only a 200 with media type text/plain, at most 64 KiB (the
 * RFC's suggested limit), within a timeout. Blocks the calling (delivery) thread; the I/O runs on
 * Vert.x's event loop.
 */
public final class VertxStsPolicyFetcher implements StsPolicyFetcher {

    static final String PATH = "/.well-known/mta-sts.txt";
    static final int MAX_BODY = 64 * 1024;

    private final HttpClient http;
    private final DnsResolver dns;
    private final int port;
    private final Duration timeout;

    /** Port 443 and the RFC's suggested one-minute timeout, capped by the caller's patience. */
    public VertxStsPolicyFetcher(Vertx vertx, DnsResolver dns, TrustAnchors anchors, Duration timeout) {
        this(vertx, dns, anchors, timeout, 443);
    }

    /** @param port another port than 443: for tests only */
    public VertxStsPolicyFetcher(Vertx vertx, DnsResolver dns, TrustAnchors anchors, Duration timeout, int port) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.port = port;
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true) // RFC 8461 §3.3: the certificate must be valid for mta-sts.<domain>
                .setForceSni(true)
                .setTrustOptions(TrustOptions.wrap(anchors.trustManager()))
                .setKeepAlive(false)
                .setMaxRedirects(0)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        this.http = vertx.createHttpClient(options);
    }

    @Override
    public Result fetch(String domain) {
        String host = "mta-sts." + domain;
        Optional<InetAddress> address = address(host);
        if (address.isEmpty()) {
            return new Result.Failed("no address for " + host);
        }
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host)
                .setPort(port)
                .setURI(PATH)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address.get(), port)))
                .setSsl(true)
                .setFollowRedirects(false) // §3.3: "HTTP 3xx redirects MUST NOT be followed"
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Cache-Control", "no-cache"); // §3.3: "HTTP caching MUST NOT be used"
        Future<Result> result = http.request(request).compose(req -> req.send()).compose(this::read);
        try {
            return result.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Result.Failed("no policy from https://" + host + PATH + " within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Result.Failed("https://" + host + PATH + ": " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Failed("interrupted while fetching https://" + host + PATH);
        }
    }

    private Future<Result> read(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            // §3.3: "only valid if the HTTP response code is 200 (OK)"; a 3xx is not followed.
            return Future.succeededFuture(new Result.Failed("HTTP status " + response.statusCode()));
        }
        String type = Optional.ofNullable(response.getHeader("Content-Type")).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("text/plain")) {
            // §3.3: senders SHOULD validate the media type (text/plain).
            return Future.succeededFuture(new Result.Failed("media type is not text/plain: " + type));
        }
        Promise<Result> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                promise.tryComplete(new Result.Failed("policy larger than " + MAX_BODY + " bytes"));
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(promise::tryFail);
        response.endHandler(v -> promise.tryComplete(new Result.Body(body.toString(StandardCharsets.UTF_8))));
        return promise.future();
    }

    private Optional<InetAddress> address(String host) {
        for (DnsResult<List<InetAddress>> r : List.of(dns.a(host), dns.aaaa(host))) {
            if (r instanceof DnsResult.Answer<List<InetAddress>> a && !a.value().isEmpty()) {
                return Optional.of(a.value().get(0));
            }
        }
        return Optional.empty();
    }

    /** Closes the HTTP client (not the Vert.x instance, which belongs to the caller). */
    public void close() {
        http.close();
    }
}
