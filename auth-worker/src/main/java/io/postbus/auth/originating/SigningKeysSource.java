package io.postbus.auth.originating;

import io.postbus.auth.dkim.keys.KeyFileException;
import io.postbus.auth.dkim.keys.SigningKeys;
import io.postbus.auth.dkim.keys.TableFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The signing keys in force, re-read when the KeyTable, the SigningTable or a key file changes (checked
 * at most once per interval), so a new selector goes live without a restart. A broken new version is
 * reported and the last good one stays in use: signing never stops because of a typo.
 */
public final class SigningKeysSource {
    private final SigningKeys.Config config;
    private final Clock clock;
    private final Duration checkInterval;
    private final Consumer<String> problems;
    private volatile SigningKeys keys;
    private volatile List<String> fingerprint;
    private volatile Instant nextCheck;

    private SigningKeysSource(SigningKeys.Config config, SigningKeys keys, Clock clock, Duration checkInterval,
                              Consumer<String> problems) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
        this.checkInterval = checkInterval;
        this.problems = problems;
        this.fingerprint = fingerprint(config, keys);
        this.nextCheck = clock.instant().plus(checkInterval);
    }

    /** No signing configured. */
    public static SigningKeysSource none() {
        return new SigningKeysSource(null, null, Clock.systemUTC(), Duration.ofDays(365), p -> { });
    }

    /** Loads the tables now: a broken configuration fails the start, where an operator sees it. */
    public static SigningKeysSource load(SigningKeys.Config config, Clock clock, Duration checkInterval,
                                         Consumer<String> problems) throws TableFormatException, KeyFileException {
        Objects.requireNonNull(config, "config");
        return new SigningKeysSource(config, SigningKeys.load(config), clock, checkInterval, problems);
    }

    public Optional<SigningKeys> current() {
        if (config != null && !clock.instant().isBefore(nextCheck)) {
            reloadIfChanged();
        }
        return Optional.ofNullable(keys);
    }

    private synchronized void reloadIfChanged() {
        if (clock.instant().isBefore(nextCheck)) {
            return;
        }
        nextCheck = clock.instant().plus(checkInterval);
        List<String> now = fingerprint(config, keys);
        if (now.equals(fingerprint)) {
            return;
        }
        try {
            SigningKeys fresh = SigningKeys.load(config);
            keys = fresh;
            fingerprint = fingerprint(config, fresh);
        } catch (TableFormatException | KeyFileException e) {
            fingerprint = now; // report a broken version once, not at every check
            problems.accept("DKIM signing tables not reloaded, the previous keys stay in use: " + e.getMessage());
        }
    }

    /** A digest of every file the keys come from (tables and keys are small, and read only once per interval). */
    static List<String> fingerprint(SigningKeys.Config config, SigningKeys keys) {
        List<Path> files = new ArrayList<>();
        if (config == null) {
            return List.of();
        }
        files.add(config.keyTable().path());
        files.add(config.signingTable().path());
        if (keys != null) {
            keys.keyFiles().forEach(files::add);
        }
        List<String> out = new ArrayList<>();
        for (Path p : files) {
            try {
                // Content, not modification time: a rewrite within the same clock tick still counts, and a
                // Kubernetes secret volume's symlink swap is followed because the path is read afresh.
                out.add(p + ":" + Arrays.hashCode(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            } catch (IOException | NoSuchAlgorithmException e) {
                out.add(p + ":missing");
            }
        }
        return out;
    }
}
