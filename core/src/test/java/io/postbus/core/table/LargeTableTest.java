package io.postbus.core.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 100,000-entry table loads and answers correctly (a sanity check, not a benchmark). */
class LargeTableTest {
    private static final int ENTRIES = 100_000;

    @TempDir
    Path dir;

    @Test
    void hundredThousandEntries() throws IOException {
        Path f = dir.resolve("virtual");
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("# generated\n");
            for (int i = 0; i < ENTRIES; i++) {
                w.write(String.format(Locale.ROOT, "User%06d@Example.com\tmailbox%06d@store.example.net%n", i, i));
            }
        }
        TableSnapshot t = TableSource.postmap(f).load();
        assertThat(t.size()).isEqualTo(ENTRIES);
        assertThat(t.warnings()).isEmpty();
        for (int i = 0; i < ENTRIES; i += 997) {
            String key = String.format(Locale.ROOT, "user%06d@example.COM", i);
            assertThat(t.get(key)).as(key).contains(String.format(Locale.ROOT, "mailbox%06d@store.example.net", i));
        }
        assertThat(t.get("user100000@example.com")).isEmpty();
        assertThat(t.get("user000000@example.org")).isEmpty();
    }
}
