package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.proxy.ProxyPolicy;
import io.postbus.ingress.tls.CertificateSource;
import io.postbus.ingress.tls.ServerCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS after a PROXY header takes the certificate current at each connection, as STARTTLS does:
 * a renewal reaches port 465 behind a balancer without a restart, and the session sees TLS.
 */
class TlsAfterProxyHeaderTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicReference<ServerCertificate> current = new AtomicReference<>();
    private final AtomicReference<String> seen = new AtomicReference<>();
    private NetServer server;

    @BeforeEach
    void start() throws Exception {
        current.set(new CertificateSource.SelfSigned("one.test").load(Clock.systemUTC()));
        TlsAfterProxyHeader tls = new TlsAfterProxyHeader(vertx);
        server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(socket ->
                ProxyHeaderReader.read(vertx, socket, ProxyPolicy.required("127.0.0.0/8"), (client, rest) ->
                        tls.handshake(socket, rest, current.get(), Duration.ofSeconds(5)).onSuccess(v -> {
                            seen.set(client.getAddress().getHostAddress() + " " + socket.isSsl() + " " + socket.sslSession().getProtocol());
                            socket.write(Buffer.buffer("220 hello\r\n"));
                        })));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private BigInteger servedSerial(String clientIp) throws Exception {
        try (RawSmtp c = new RawSmtp(server.actualPort())) {
            c.send("PROXY TCP4 " + clientIp + " 192.0.2.1 1234 465\r\n");
            c.startTls();
            assertThat(c.reply()).isEqualTo("220 hello\n");
            return c.peerCertificate().getSerialNumber();
        }
    }

    @Test
    void eachConnectionGetsTheCertificateCurrentWhenItArrives() throws Exception {
        ServerCertificate first = current.get();
        assertThat(servedSerial("203.0.113.1")).isEqualTo(first.serialNumber());
        assertThat(seen.get()).startsWith("203.0.113.1 true TLSv1.");
        assertThat(servedSerial("203.0.113.2")).as("the same certificate again (the built context is reused)")
                .isEqualTo(first.serialNumber());
        ServerCertificate renewed = new CertificateSource.SelfSigned("two.test").load(Clock.systemUTC());
        current.set(renewed);
        assertThat(servedSerial("203.0.113.3")).as("a renewal applies to the next connection")
                .isEqualTo(renewed.serialNumber()).isNotEqualTo(first.serialNumber());
    }
}
