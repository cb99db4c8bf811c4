package io.postbus.ingress.tls;

import io.postbus.ingress.tls.CertificateLoadException.Reason;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the server certificate when its files are renewed, without a restart.
 *
 * <p>Every {@code interval} it looks at each file's modification time, size and file key (inode),
 * following symbolic links; only when one of those moved (or the file was modified in the last two
 * seconds, too recently for its stamp to be trusted) does it read the files, off the event loop,
 * and compare their SHA-256 with what is being served. A changed pair is validated as a
 * unit; if it passes, {@link Listener#reloaded} applies it (typically {@link ServerCertificate#applyTo}
 * on every {@code NetServer}); if not, it is reported through {@link Listener#rejected} and the
 * previous certificate stays in use until the files change again (a certificate refused as not yet
 * valid, or whose listener failed, is retried at every check). Each refusal is reported once.
 *
 * <p>Files are opened by path at every check and never held open, so renewals that replace files
 * by rename (certbot swapping the {@code live/} symlinks to new files in {@code archive/},
 * Kubernetes swapping a secret's {@code ..data} link) are seen like in-place rewrites: the stamp
 * of the file the path now leads to differs. A renewal caught halfway (new certificate, old key)
 * is rejected as a key mismatch and picked up at the next check once the key is in place.
 *
 * <p>All state lives on one Vert.x context; checks never overlap.
 */
public final class CertificateWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateWatcher.class);

    /** Told about renewals. Called on the watcher's context: do not block. */
    @FunctionalInterface
    public interface Listener {
        /**
         * The files changed and the new pair passed validation: serve it. The watcher counts it as
         * current once the returned future succeeds; if it fails, the renewal is reported as
         * {@link Reason#NOT_APPLIED}, the previous certificate stays current, and the next check
         * offers the same certificate again.
         */
        Future<?> reloaded(ServerCertificate certificate);

        /**
         * The files changed but cannot be served, or {@link #reloaded} failed; the previous
         * certificate stays in use. Called once per refused content. Already logged.
         */
        default void rejected(CertificateLoadException problem) {}
    }

    /** What one check found. */
    public sealed interface Outcome {
        /** Nothing new: the files did not change, changed back to what is served, or still hold content already refused. */
        record Unchanged() implements Outcome {}

        /** The renewed certificate is now being served. */
        record Reloaded(ServerCertificate certificate) implements Outcome {}

        /** The files changed but the new content was refused; the previous certificate is still served. */
        record Rejected(CertificateLoadException problem) implements Outcome {}
    }

    private static final Outcome UNCHANGED = new Outcome.Unchanged();

    private final Vertx vertx;
    private final Context context;
    private final CertificateSource source;
    private final Duration interval;
    private final Clock clock;
    private final Listener listener;

    // Confined to context, except current, which is read from anywhere.
    private volatile ServerCertificate current;
    private Map<Path, FileStamp> seen = Map.of();
    private String rejected; // identity of the last refused content, so it is reported once
    private Future<Outcome> inFlight;
    private long timerId = -1;
    private boolean closed;

    /**
     * @param initial  the certificate being served now, as loaded from the source to watch
     * @param interval how often to look at the files; seconds to minutes is plenty, renewals come weeks early
     * @param clock    for the validity checks of renewed certificates
     */
    public CertificateWatcher(Vertx vertx, ServerCertificate initial, Duration interval, Clock clock, Listener listener) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.current = Objects.requireNonNull(initial, "initial");
        this.source = initial.source();
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("the certificate check interval must be at least 1 ms, got " + interval);
        }
        this.context = vertx.getOrCreateContext();
    }

    /** Starts the periodic checks. Does nothing for sources with no files (PEM text, self-signed) or when closed. */
    public CertificateWatcher start() {
        if (source.files().isEmpty()) {
            log.debug("TLS certificate from {} has no files to watch", source);
            return this;
        }
        context.runOnContext(v -> {
            if (timerId < 0 && !closed) {
                timerId = vertx.setPeriodic(interval.toMillis(), id -> checkHere());
            }
        });
        return this;
    }

    /** Checks now, e.g. on SIGHUP or from a test. A check already under way is joined, not repeated. */
    public Future<Outcome> check() {
        Promise<Outcome> done = Promise.promise();
        context.runOnContext(v -> checkHere().onComplete(done));
        return done.future();
    }

    /** The certificate being served, as far as this watcher knows. */
    public ServerCertificate current() {
        return current;
    }

    /** Stops the periodic checks; a check under way still finishes. */
    @Override
    public void close() {
        context.runOnContext(v -> {
            closed = true;
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
                timerId = -1;
            }
        });
    }

    private Future<Outcome> checkHere() {
        if (inFlight != null) {
            return inFlight;
        }
        Map<Path, FileStamp> before = seen;
        String servedDigest = current.digest();
        String alreadyReported = rejected;
        Future<Outcome> check = context.<Probe>executeBlocking(() -> probe(before, servedDigest, alreadyReported), true)
                .compose(this::settle);
        inFlight = check;
        return check.andThen(ar -> inFlight = null);
    }

    /** What a probe saw; {@code rejection} identifies refused content so it is reported once, not at every check. */
    private record Probe(Map<Path, FileStamp> stamps, Outcome outcome, String rejection) {}

    /** On a worker thread: stat, and only if something moved (or may have), read, hash and validate. */
    private Probe probe(Map<Path, FileStamp> before, String servedDigest, String alreadyReported) {
        Map<Path, FileStamp> stamps = new LinkedHashMap<>();
        for (Path file : source.files()) {
            stamps.put(file, FileStamp.of(file));
        }
        if (stamps.equals(before) && stamps.values().stream().allMatch(FileStamp::settled)) {
            return new Probe(stamps, UNCHANGED, alreadyReported);
        }
        SourceSnapshot snapshot;
        try {
            snapshot = CertificateLoader.read(source);
        } catch (CertificateLoadException e) { // missing or unreadable: the message says which, and is the identity
            return refused(stamps, e, e.getMessage(), alreadyReported);
        }
        String digest = snapshot.digest();
        if (digest.equals(servedDigest)) { // touched, or changed back
            return new Probe(stamps, UNCHANGED, null);
        }
        try {
            return new Probe(stamps, new Outcome.Reloaded(CertificateLoader.load(source, snapshot, clock)), null);
        } catch (CertificateLoadException e) {
            return refused(stamps, e, digest, alreadyReported);
        } catch (RuntimeException e) { // a parser bug must not stop the watching, nor replace the certificate
            return refused(stamps, new CertificateLoadException(Reason.MALFORMED, null,
                    "cannot validate the renewed TLS certificate from " + source + ": " + e, e), digest, alreadyReported);
        }
    }

    private static Probe refused(Map<Path, FileStamp> stamps, CertificateLoadException e, String identity, String alreadyReported) {
        // Not valid yet: the same bytes will be fine later, so look again at every check rather than when the files change.
        Map<Path, FileStamp> next = e.reason() == Reason.NOT_YET_VALID ? Map.of() : stamps;
        return new Probe(next, identity.equals(alreadyReported) ? UNCHANGED : new Outcome.Rejected(e), identity);
    }

    private Future<Outcome> settle(Probe probe) {
        String reportedBefore = rejected;
        seen = probe.stamps();
        rejected = probe.rejection();
        if (probe.outcome() instanceof Outcome.Rejected refused) {
            return Future.succeededFuture(reject(refused.problem()));
        }
        if (!(probe.outcome() instanceof Outcome.Reloaded reloaded)) {
            return Future.succeededFuture(probe.outcome());
        }
        ServerCertificate fresh = reloaded.certificate();
        Future<?> applied;
        try {
            applied = Objects.requireNonNull(listener.reloaded(fresh), "the listener returned no future");
        } catch (RuntimeException e) {
            applied = Future.failedFuture(e);
        }
        Promise<Outcome> settled = Promise.promise();
        applied.onComplete(ar -> context.runOnContext(v -> { // the listener's future may complete on another context
            if (ar.failed()) {
                // A good certificate that could not be applied: try again at every check, report once.
                seen = Map.of();
                rejected = fresh.digest();
                settled.complete(fresh.digest().equals(reportedBefore) ? UNCHANGED
                        : reject(new CertificateLoadException(Reason.NOT_APPLIED, null,
                                "the renewed TLS certificate " + fresh + " could not be applied: " + ar.cause(), ar.cause())));
                return;
            }
            log.info("TLS certificate reloaded: now serving {} (was serial {})", fresh, current.serialNumber().toString(16));
            fresh.warnings().forEach(w -> log.warn("TLS certificate: {}", w.message()));
            current = fresh;
            settled.complete(reloaded);
        }));
        return settled.future();
    }

    private Outcome reject(CertificateLoadException problem) {
        log.warn("TLS certificate not reloaded, still serving serial {}: {}", current.serialNumber().toString(16), problem.getMessage());
        try {
            listener.rejected(problem);
        } catch (RuntimeException e) {
            log.warn("certificate listener failed on a rejection", e);
        }
        return new Outcome.Rejected(problem);
    }

    /**
     * What a file looks like without reading it. A missing or unreadable file has a stamp too. A
     * file modified in the last {@link #RACY_MILLIS} is not trusted to be unchanged just because its
     * stamp is: a same-size rewrite within the file system's timestamp granularity leaves the stamp
     * as it was (git's "racily clean" problem), so such a file is read and hashed until it settles.
     */
    private record FileStamp(FileTime modified, long size, Object fileKey, String error) {
        static final long RACY_MILLIS = 2_000;

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class); // follows symlinks
                return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey(), null);
            } catch (IOException e) {
                return new FileStamp(null, -1, null, e.getClass().getSimpleName());
            }
        }

        /** Compared with the system clock, not the injected one: the file system stamps files with the former. */
        boolean settled() {
            return modified == null || modified.toMillis() < System.currentTimeMillis() - RACY_MILLIS;
        }
    }
}
