package io.postbus.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading on a real file system, including the kubelet ConfigMap symlink swap (ADR 0004). */
class ReloadingTableTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final FileTime FIXED_TIME = FileTime.from(Instant.parse("2024-06-01T00:00:00Z"));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T12:00:00Z"));

    private Path write(Path f, String text) throws IOException {
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private ReloadingTable table(Path f) {
        return new ReloadingTable(TableSource.postmap(f), INTERVAL, clock);
    }

    @Test
    void checksAtMostOncePerInterval() throws IOException {
        Path f = write(dir.resolve("virtual"), "a@example.com one\n");
        ReloadingTable t = table(f);
        write(f, "a@example.com two\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));

        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(t.refreshIfDue().status()).isEqualTo(ReloadResult.Status.NOT_DUE);
        assertThat(t.get("a@example.com")).contains("one");

        clock.advance(Duration.ofSeconds(1));
        ReloadResult r = t.refreshIfDue();
        assertThat(r.status()).isEqualTo(ReloadResult.Status.RELOADED);
        assertThat(t.get("a@example.com")).contains("two");
        assertThat(t.loadedAt()).isEqualTo(clock.instant());

        // The next check is a whole interval after this one.
        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(t.refreshIfDue().status()).isEqualTo(ReloadResult.Status.NOT_DUE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(t.refreshIfDue().status()).isEqualTo(ReloadResult.Status.UNCHANGED);
    }

    @Test
    void sameSizeSameMtimeEditIsNotSeenButAnyStampChangeIs() throws IOException {
        Path f = write(dir.resolve("virtual"), "a@example.com one\n");
        Files.setLastModifiedTime(f, FIXED_TIME);
        ReloadingTable t = table(f);
        // Rewritten in place: same inode, same size, mtime put back — nothing to see, as for Postfix.
        write(f, "a@example.com two\n");
        Files.setLastModifiedTime(f, FIXED_TIME);
        assertThat(t.refreshNow().status()).isEqualTo(ReloadResult.Status.UNCHANGED);
        // A new mtime is seen.
        Files.setLastModifiedTime(f, FileTime.from(FIXED_TIME.toInstant().plusSeconds(1)));
        assertThat(t.refreshNow().status()).isEqualTo(ReloadResult.Status.RELOADED);
        assertThat(t.get("a@example.com")).contains("two");
        // A new size is seen even with the old mtime.
        write(f, "a@example.com three\n");
        Files.setLastModifiedTime(f, FIXED_TIME);
        assertThat(t.refreshNow().status()).isEqualTo(ReloadResult.Status.RELOADED);
        assertThat(t.get("a@example.com")).contains("three");
    }

    @Test
    void brokenVersionKeepsTheLastGoodTableAndIsReportedOnce() throws IOException {
        Path f = write(dir.resolve("virtual"), "a@example.com one\n");
        ReloadingTable t = table(f);

        write(f, "a@example.com two\nbroken-line-without-value\n");
        bump(f);
        ReloadResult failed = t.refreshNow();
        assertThat(failed.status()).isEqualTo(ReloadResult.Status.FAILED);
        assertThat(failed.error()).hasValueSatisfying(e -> {
            assertThat(e.problem()).isEqualTo(TableParseException.Problem.MISSING_VALUE);
            assertThat(e.line()).isEqualTo(2);
        });
        assertThat(t.get("a@example.com")).contains("one");
        assertThat(t.lastError()).isPresent();

        // Still the same broken file: not parsed or reported again.
        assertThat(t.refreshNow().status()).isEqualTo(ReloadResult.Status.UNCHANGED);
        assertThat(t.lastError()).isPresent();

        write(f, "a@example.com fixed\n");
        bump(f);
        assertThat(t.refreshNow().status()).isEqualTo(ReloadResult.Status.RELOADED);
        assertThat(t.get("a@example.com")).contains("fixed");
        assertThat(t.lastError()).isEmpty();
    }

    @Test
    void vanishedFileKeepsTheTableAndComesBack() throws IOException {
        Path f = write(dir.resolve("virtual"), "a@example.com one\n");
        ReloadingTable t = table(f);
        Files.delete(f);
        ReloadResult r = t.refreshNow();
        assertThat(r.status()).isEqualTo(ReloadResult.Status.FAILED);
        assertThat(r.error().orElseThrow().problem()).isEqualTo(TableParseException.Problem.UNREADABLE);
        assertThat(t.get("a@example.com")).contains("one");
        write(f, "a@example.com back\n");
        assertThat(t.refreshNow().status()).isEqualTo(ReloadResult.Status.RELOADED);
        assertThat(t.get("a@example.com")).contains("back");
    }

    @Test
    void kubeletConfigMapSymlinkSwapIsSeenEvenWithEqualSizeAndMtime() throws IOException {
        // kubelet's layout: virtual -> ..data/virtual, ..data -> ..2024_06_01_v1; an update writes
        // ..2024_06_01_v2 and renames a new ..data link over the old one in one step.
        Path v1 = write(dir.resolve("..2024_06_01_v1/virtual"), "a@example.com one\n");
        Path v2 = write(dir.resolve("..2024_06_01_v2/virtual"), "a@example.com two\n");
        Files.setLastModifiedTime(v1, FIXED_TIME);
        Files.setLastModifiedTime(v2, FIXED_TIME);
        assertThat(Files.size(v1)).isEqualTo(Files.size(v2));
        Path data = dir.resolve("..data");
        Files.createSymbolicLink(data, dir.relativize(v1.getParent()));
        Path table = dir.resolve("virtual");
        Files.createSymbolicLink(table, Path.of("..data/virtual"));

        ReloadingTable t = table(table);
        assertThat(t.get("a@example.com")).contains("one");

        Path next = dir.resolve("..data_tmp");
        Files.createSymbolicLink(next, dir.relativize(v2.getParent()));
        Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        clock.advance(INTERVAL);
        assertThat(t.refreshIfDue().status()).isEqualTo(ReloadResult.Status.RELOADED);
        assertThat(t.get("a@example.com")).contains("two");
        assertThat(t.name()).isEqualTo(table.toString());

        // kubelet then removes the old directory; nothing changes for us.
        Files.delete(v1);
        Files.delete(v1.getParent());
        clock.advance(INTERVAL);
        assertThat(t.refreshIfDue().status()).isEqualTo(ReloadResult.Status.UNCHANGED);
    }

    @Test
    void aChangedIncludeFileReloadsTheAliasTable() throws IOException {
        Path list = write(dir.resolve("lists/staff"), "alice\n");
        Path aliases = write(dir.resolve("aliases"), "staff: :include:lists/staff\n");
        ReloadingTable t = new ReloadingTable(TableSource.aliases(aliases), INTERVAL, clock);
        assertThat(t.get("staff")).contains("alice");
        write(list, "alice, bob\n");
        bump(list);
        assertThat(t.refreshNow().status()).isEqualTo(ReloadResult.Status.RELOADED);
        assertThat(t.get("staff")).contains("alice, bob");
    }

    @Test
    void brokenFileAtStartIsFatal() throws IOException {
        Path f = write(dir.resolve("virtual"), "lonely\n");
        assertThatThrownBy(() -> table(f)).isInstanceOfSatisfying(TableParseException.class,
                e -> assertThat(e.problem()).isEqualTo(TableParseException.Problem.MISSING_VALUE));
        assertThatThrownBy(() -> table(dir.resolve("missing"))).isInstanceOfSatisfying(TableParseException.class,
                e -> assertThat(e.problem()).isEqualTo(TableParseException.Problem.UNREADABLE));
    }

    /** Moves the mtime forward so the change is seen however coarse the file system's clock is. */
    private static void bump(Path f) throws IOException {
        Files.setLastModifiedTime(f, FileTime.from(Files.getLastModifiedTime(f).toInstant().plusSeconds(2)));
    }
}
