package io.postbus.ingress.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.ingress.tls.CertificateLoadException.Reason;
import io.postbus.ingress.tls.CertificateSource.PemFiles;
import io.postbus.ingress.tls.CertificateWatcher.Outcome;
import io.postbus.ingress.tls.TestPki.Issued;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a check decides as files change under it; each check triggered by hand, no timer. */
class CertificateWatcherTest {
    private static final Issued CA = TestPki.ca("CN=Watcher Test CA");
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    private Vertx vertx;
    private final List<ServerCertificate> reloaded = new CopyOnWriteArrayList<>();
    private final List<CertificateLoadException> rejected = new CopyOnWriteArrayList<>();
    private final Issued a = TestPki.leaf(CA, "CN=mx.example.com");
    private final Issued b = TestPki.leaf(CA, "CN=mx.example.com");
    private Path chain;
    private Path key;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        chain = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        TestPki.replace(chain, chainPem(a));
        TestPki.replace(key, TestPki.pkcs8(a.key()));
    }

    @AfterEach
    void tearDown() throws Exception {
        join(vertx.close());
    }

    private static String chainPem(Issued leaf) {
        return TestPki.pem(leaf.certificate(), CA.certificate());
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private CertificateWatcher watcher(PemFiles source) {
        return watcher(source, cert -> {
            reloaded.add(cert);
            return Future.succeededFuture();
        });
    }

    private CertificateWatcher watcher(CertificateSource source, CertificateWatcher.Listener applier) {
        CertificateWatcher.Listener recording = new CertificateWatcher.Listener() {
            @Override
            public Future<?> reloaded(ServerCertificate certificate) {
                return applier.reloaded(certificate);
            }

            @Override
            public void rejected(CertificateLoadException problem) {
                rejected.add(problem);
            }
        };
        return new CertificateWatcher(vertx, source.load(CLOCK), Duration.ofHours(1), CLOCK, recording);
    }

    @Test
    void untouchedOrTouchedButIdenticalFilesChangeNothing() throws Exception {
        CertificateWatcher w = watcher(new PemFiles(chain, key));
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());

        Files.setLastModifiedTime(chain, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        TestPki.replace(key, TestPki.pkcs8(a.key())); // same bytes, new inode

        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());
        assertThat(reloaded).isEmpty();
        assertThat(rejected).isEmpty();
        assertThat(w.current().serialNumber()).isEqualTo(a.serial());
    }

    @Test
    void renewalCaughtHalfwayIsRefusedThenPickedUpWhenComplete() throws Exception {
        CertificateWatcher w = watcher(new PemFiles(chain, key));

        TestPki.replace(chain, chainPem(b)); // new certificate, old key still there
        Outcome halfway = join(w.check());
        assertThat(halfway).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.problem().reason()).isEqualTo(Reason.KEY_MISMATCH);
            assertThat(r.problem().file()).isEqualTo(Optional.of(key));
        });
        assertThat(w.current().serialNumber()).isEqualTo(a.serial());

        TestPki.replace(key, TestPki.pkcs8(b.key()));
        Outcome done = join(w.check());
        assertThat(done).isInstanceOfSatisfying(Outcome.Reloaded.class,
                r -> assertThat(r.certificate().serialNumber()).isEqualTo(b.serial()));
        assertThat(reloaded).extracting(ServerCertificate::serialNumber).containsExactly(b.serial());
        assertThat(w.current().serialNumber()).isEqualTo(b.serial());
        assertThat(rejected).hasSize(1);
    }

    @Test
    void refusedContentIsReportedOnce() throws Exception {
        CertificateWatcher w = watcher(new PemFiles(chain, key));
        TestPki.replace(chain, "garbage\n");

        assertThat(join(w.check())).isInstanceOf(Outcome.Rejected.class);
        // Just written, so the stamp is not trusted and the file is read again: same bytes, not reported again.
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());
        TestPki.replace(chain, "garbage\n");
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());

        assertThat(rejected).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(e.getMessage()).contains(chain.toString());
        });
        assertThat(w.current().serialNumber()).isEqualTo(a.serial());
    }

    @Test
    void deletedKeyIsReportedOnceAndTheOldCertificateStays() throws Exception {
        CertificateWatcher w = watcher(new PemFiles(chain, key));
        Files.delete(key);

        assertThat(join(w.check())).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.problem().reason()).isEqualTo(Reason.UNREADABLE);
            assertThat(r.problem().file()).isEqualTo(Optional.of(key));
        });
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());
        assertThat(rejected).hasSize(1);

        TestPki.replace(key, TestPki.pkcs8(a.key())); // put back as it was: nothing to reload
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());
        assertThat(reloaded).isEmpty();
    }

    @Test
    void certbotStyleSymlinkSwapIsSeen() throws Exception {
        // live/fullchain.pem -> ../archive/fullchain1.pem; a renewal writes fullchain2.pem and repoints the links
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.writeString(archive.resolve("fullchain1.pem"), chainPem(a));
        Files.writeString(archive.resolve("privkey1.pem"), TestPki.pkcs8(a.key()));
        Path liveChain = Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../archive/fullchain1.pem"));
        Path liveKey = Files.createSymbolicLink(live.resolve("privkey.pem"), Path.of("../archive/privkey1.pem"));
        CertificateWatcher w = watcher(new PemFiles(liveChain, liveKey));
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());

        Files.writeString(archive.resolve("fullchain2.pem"), chainPem(b));
        Files.writeString(archive.resolve("privkey2.pem"), TestPki.pkcs8(b.key()));
        repoint(liveChain, "../archive/fullchain2.pem");
        repoint(liveKey, "../archive/privkey2.pem");

        assertThat(join(w.check())).isInstanceOfSatisfying(Outcome.Reloaded.class,
                r -> assertThat(r.certificate().serialNumber()).isEqualTo(b.serial()));
    }

    /** Atomically, as certbot does: a new link beside the old one, renamed over it. */
    private static void repoint(Path link, String target) throws Exception {
        Path tmp = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(tmp, Path.of(target));
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void sameSizeRewriteInPlaceWithTheOldTimestampIsStillSeen() throws Exception {
        // File systems with coarse timestamps can leave size and mtime as they were; the content hash decides.
        String chainA = chainPem(a);
        String chainB = chainPem(b);
        String keyA = TestPki.pkcs8(a.key());
        String keyB = TestPki.pkcs8(b.key());
        int chainLength = Math.max(chainA.length(), chainB.length());
        int keyLength = Math.max(keyA.length(), keyB.length());
        Files.writeString(chain, pad(chainA, chainLength));
        Files.writeString(key, pad(keyA, keyLength));
        CertificateWatcher w = watcher(new PemFiles(chain, key));
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());

        FileTime chainTime = Files.getLastModifiedTime(chain);
        FileTime keyTime = Files.getLastModifiedTime(key);
        Object inode = Files.readAttributes(chain, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Files.writeString(chain, pad(chainB, chainLength));
        Files.writeString(key, pad(keyB, keyLength));
        Files.setLastModifiedTime(chain, chainTime);
        Files.setLastModifiedTime(key, keyTime);
        assertThat(Files.readAttributes(chain, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);

        assertThat(join(w.check())).isInstanceOf(Outcome.Reloaded.class);
        assertThat(w.current().serialNumber()).isEqualTo(b.serial());
    }

    private static String pad(String pem, int length) {
        return pem + "\n".repeat(length - pem.length());
    }

    @Test
    void aFailingListenerLeavesTheOldCertificateCurrentAndIsOfferedItAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CertificateWatcher w = watcher(new PemFiles(chain, key),
                cert -> calls.incrementAndGet() < 3 ? Future.failedFuture("server refused it") : Future.succeededFuture());
        TestPki.replace(key, TestPki.pkcs8(b.key()));
        TestPki.replace(chain, chainPem(b));

        assertThat(join(w.check())).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.problem().reason()).isEqualTo(Reason.NOT_APPLIED);
            assertThat(r.problem().getMessage()).contains("server refused it");
        });
        assertThat(w.current().serialNumber()).isEqualTo(a.serial());
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged()); // failed again, not reported again
        assertThat(rejected).hasSize(1);

        assertThat(join(w.check())).isInstanceOf(Outcome.Reloaded.class);
        assertThat(calls).hasValue(3);
        assertThat(w.current().serialNumber()).isEqualTo(b.serial());
    }

    @Test
    void notYetValidIsRetriedAtEveryCheckUntilItIs() throws Exception {
        Instant start = Instant.now();
        AtomicReference<Instant> now = new AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        CertificateWatcher w = new CertificateWatcher(vertx, new PemFiles(chain, key).load(clock), Duration.ofHours(1), clock,
                cert -> Future.succeededFuture());
        Issued early = TestPki.leaf(CA, "CN=mx.example.com", TestPki.rsa(), start.plus(Duration.ofHours(1)), start.plus(Duration.ofDays(90)));
        TestPki.replace(key, TestPki.pkcs8(early.key()));
        TestPki.replace(chain, chainPem(early));

        assertThat(join(w.check())).isInstanceOfSatisfying(Outcome.Rejected.class,
                r -> assertThat(r.problem().reason()).isEqualTo(Reason.NOT_YET_VALID));
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());

        now.set(start.plus(Duration.ofHours(2)));
        assertThat(join(w.check())).isInstanceOf(Outcome.Reloaded.class);
        assertThat(w.current().serialNumber()).isEqualTo(early.serial());
    }

    @Test
    void sourcesWithoutFilesHaveNothingToWatch() throws Exception {
        CertificateWatcher w = watcher(new CertificateSource.SelfSigned("mx.example.com"),
                cert -> Future.failedFuture("must not be called")).start();
        assertThat(join(w.check())).isEqualTo(new Outcome.Unchanged());
        w.close();
    }

    @Test
    void intervalMustBePositive() {
        ServerCertificate cert = new PemFiles(chain, key).load(CLOCK);
        assertThatThrownBy(() -> new CertificateWatcher(vertx, cert, Duration.ZERO, CLOCK, c -> Future.succeededFuture()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
