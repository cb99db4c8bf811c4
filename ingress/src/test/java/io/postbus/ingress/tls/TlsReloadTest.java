package io.postbus.ingress.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.ingress.tls.CertificateLoadException.Reason;
import io.postbus.ingress.tls.CertificateSource.PemFiles;
import io.postbus.ingress.tls.CertificateSource.Pkcs12File;
import io.postbus.ingress.tls.CertificateWatcher.Outcome;
import io.postbus.ingress.tls.TestPki.Issued;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Vert.x servers, a real JDK TLS client: a renewed certificate is served on the next
 * connection without restarting anything, on an implicit-TLS listener (port 465) and after a
 * STARTTLS-style upgrade alike; a garbled renewal leaves the last good certificate in service.
 */
class TlsReloadTest {
    private static final Issued CA = TestPki.ca("CN=Reload Test CA");

    @TempDir
    Path dir;

    private Vertx vertx;
    private final List<CertificateLoadException> rejections = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        join(vertx.close());
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Port 465 style: TLS from the first byte; renewals reach it through {@link ServerCertificate#applyTo}. */
    private NetServer implicitTls(ServerCertificate cert) throws Exception {
        NetServerOptions options = new NetServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setKeyCertOptions(cert.keyCertOptions());
        return join(vertx.createNetServer(options).connectHandler(socket -> {}).listen());
    }

    /**
     * STARTTLS style: a plain listener that upgrades with the 220 as the last plain bytes, taking
     * the certificate the watcher currently serves at every upgrade.
     */
    private NetServer startTls(ServerCertificate cert, Supplier<ServerCertificate> current) throws Exception {
        NetServerOptions options = new NetServerOptions().setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(cert.keyCertOptions());
        return join(vertx.createNetServer(options)
                .connectHandler(socket -> current.get().startTls(socket, Buffer.buffer("220 2.0.0 Ready to start TLS\r\n")))
                .listen());
    }

    private CertificateWatcher.Listener applyingTo(NetServer... servers) {
        return new CertificateWatcher.Listener() { // what IngressServer wires up
            @Override
            public Future<?> reloaded(ServerCertificate certificate) {
                return Future.all(List.of(servers).stream().map(certificate::applyTo).toList());
            }

            @Override
            public void rejected(CertificateLoadException problem) {
                rejections.add(problem);
            }
        };
    }

    @Test
    void pemRenewalByRenameIsServedOnTheNextConnectionAndGarbageIsNot() throws Exception {
        Issued a = TestPki.leaf(CA, "CN=mx.example.com");
        Issued b = TestPki.leaf(CA, "CN=mx.example.com");
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.replace(chain, TestPki.pem(a.certificate(), CA.certificate()));
        TestPki.replace(key, TestPki.pkcs8(a.key()));
        ServerCertificate initial = new PemFiles(chain, key).load(Clock.systemUTC());
        AtomicReference<CertificateWatcher> watching = new AtomicReference<>();
        NetServer smtps = implicitTls(initial);
        NetServer smtp = startTls(initial, () -> watching.get().current());
        try (CertificateWatcher watcher = new CertificateWatcher(vertx, initial, Duration.ofMillis(100),
                Clock.systemUTC(), applyingTo(smtps))) {
            watching.set(watcher);
            assertThat(TlsClient.servedSerial(smtps.actualPort())).isEqualTo(a.serial());
            assertThat(TlsClient.servedSerialAfterGreeting(smtp.actualPort())).isEqualTo(a.serial());
            watcher.start();

            TestPki.replace(key, TestPki.pkcs8(b.key())); // a check may fall between these two: refused, then fine
            TestPki.replace(chain, TestPki.pem(b.certificate(), CA.certificate()));

            await().atMost(Duration.ofSeconds(10)).until(() -> b.serial().equals(watcher.current().serialNumber()));
            assertThat(TlsClient.servedSerial(smtps.actualPort())).isEqualTo(b.serial());
            assertThat(TlsClient.servedSerialAfterGreeting(smtp.actualPort())).isEqualTo(b.serial());
            assertThat(rejections).allSatisfy(r -> assertThat(r.reason()).isEqualTo(Reason.KEY_MISMATCH));

            TestPki.replace(chain, "-----BEGIN CERTIFICATE-----\nthis is not base64 at all!\n-----END CERTIFICATE-----\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> rejections.stream().anyMatch(r -> r.reason() == Reason.MALFORMED));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)) // reported once, not at every check
                    .until(() -> rejections.stream().filter(r -> r.reason() == Reason.MALFORMED).count() == 1);
            assertThat(rejections).filteredOn(r -> r.reason() == Reason.MALFORMED).singleElement()
                    .satisfies(r -> assertThat(r.file()).isEqualTo(Optional.of(chain)));
            assertThat(watcher.current().serialNumber()).isEqualTo(b.serial());
            assertThat(TlsClient.servedSerial(smtps.actualPort())).isEqualTo(b.serial());
            assertThat(TlsClient.servedSerialAfterGreeting(smtp.actualPort())).isEqualTo(b.serial());
        }
    }

    @Test
    void pkcs12RenewalIsServedAfterAnExplicitCheck() throws Exception {
        Issued a = TestPki.leaf(CA, "CN=mx.example.com");
        Issued b = TestPki.leaf(CA, "CN=mx.example.com");
        Path p12 = dir.resolve("server.p12");
        TestPki.replace(p12, TestPki.pkcs12("pw", a.key(), a.certificate(), CA.certificate()));
        ServerCertificate initial = new Pkcs12File(p12, "pw").load(Clock.systemUTC());
        AtomicReference<CertificateWatcher> watching = new AtomicReference<>();
        NetServer smtps = implicitTls(initial);
        NetServer smtp = startTls(initial, () -> watching.get().current());
        CertificateWatcher watcher = new CertificateWatcher(vertx, initial, Duration.ofHours(1), Clock.systemUTC(),
                applyingTo(smtps)); // never started: checks only when asked, as on SIGHUP
        watching.set(watcher);

        assertThat(join(watcher.check())).isEqualTo(new Outcome.Unchanged());
        TestPki.replace(p12, TestPki.pkcs12("pw", b.key(), b.certificate(), CA.certificate()));
        Outcome renewed = join(watcher.check());

        assertThat(renewed).isInstanceOf(Outcome.Reloaded.class);
        assertThat(TlsClient.servedSerial(smtps.actualPort())).isEqualTo(b.serial());
        assertThat(TlsClient.servedSerialAfterGreeting(smtp.actualPort())).isEqualTo(b.serial());

        TestPki.replace(p12, new byte[] {0x30, 0x03, 0x02, 0x01, 0x03});
        Outcome garbled = join(watcher.check());

        assertThat(garbled).isInstanceOfSatisfying(Outcome.Rejected.class,
                r -> assertThat(r.problem().reason()).isEqualTo(Reason.MALFORMED));
        assertThat(TlsClient.servedSerial(smtps.actualPort())).isEqualTo(b.serial());
        assertThat(TlsClient.servedSerialAfterGreeting(smtp.actualPort())).isEqualTo(b.serial());
    }

    @Test
    void applyToAPlainServerFailsWithAHintInsteadOfAVertxNullPointer() throws Exception {
        ServerCertificate cert = new CertificateSource.SelfSigned("mx.example.com").load(Clock.systemUTC());
        NetServer plain = startTls(cert, () -> cert);

        assertThat(cert.applyTo(plain).toCompletionStage().toCompletableFuture())
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().withMessageContaining("startTls");
        assertThat(TlsClient.servedSerialAfterGreeting(plain.actualPort())).isEqualTo(cert.serialNumber());
    }
}
