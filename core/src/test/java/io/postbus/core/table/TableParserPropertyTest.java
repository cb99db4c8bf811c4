package io.postbus.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mangled text is either parsed or rejected with a TableParseException whose line is
 * inside the text; nothing else ever escapes the parsers (STYLE.md §11: parsers get a fuzz test).
 */
class TableParserPropertyTest {
    private static final String ALPHABET = "ab@.:,#\"\\% \t\n\n\r|/+-xyz:include:";
    private static final String VALID = """
            # virtual
            joe@example.com joe@example.net, "j s"@example.org
              continued@example.com
            @example.com catchall@example.net
            root: admin
            """;
    private final Random random = new Random(4_2024_0004L);

    @Test
    void randomTextNeverThrowsAnythingButTheTypedError() {
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = randomText(random.nextInt(120));
            for (TableFormat format : TableFormat.values()) {
                if (tryParse(text, format)) {
                    parsed++;
                } else {
                    rejected++;
                }
            }
        }
        // Both outcomes must occur, or the generator is not exercising the parser.
        assertThat(parsed).isGreaterThan(1_000);
        assertThat(rejected).isGreaterThan(1_000);
    }

    @Test
    void mangledValidTablesNeverThrowAnythingButTheTypedError() {
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(VALID);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(sb.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 1 -> {
                        if (at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                    }
                    default -> sb.insert(at, (char) random.nextInt(0x3000));
                }
            }
            for (TableFormat format : TableFormat.values()) {
                tryParse(sb.toString(), format);
            }
        }
    }

    @Test
    void randomBytesFromAFileAreDecodedOrRejected() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("fuzz");
        Path f = dir.resolve("table");
        try {
            for (int i = 0; i < 2_000; i++) {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                java.nio.file.Files.write(f, bytes);
                for (TableFormat format : TableFormat.values()) {
                    try {
                        new TableSource(f, format, 3).load();
                    } catch (TableParseException expected) {
                        assertThat(expected.line()).isBetween(0, bytes.length + 1);
                    }
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(f);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    /** True if parsed; false if rejected with a well-formed TableParseException. */
    private static boolean tryParse(String text, TableFormat format) {
        try {
            TableSnapshot t = format == TableFormat.POSTMAP
                    ? PostmapFormat.parse(text, "fuzz")
                    : AliasesFormat.parse(text, "fuzz", Path.of("/nonexistent-dir"),
                            file -> { throw new java.io.IOException("no includes in this test"); }, 3);
            for (String key : t.entries().keySet()) {
                assertThat(t.get(key)).as("every key finds itself").isPresent();
            }
            return true;
        } catch (TableParseException e) {
            long lines = text.chars().filter(c -> c == '\n').count() + 1;
            assertThat(e.line()).as("line of %s in %s", e.problem(), text).isBetween(1, (int) lines);
            assertThat(e.getMessage()).startsWith("fuzz").contains("line " + e.line());
            return false;
        } catch (RuntimeException e) {
            fail("%s escaped for %s input %s", e, format, escape(text));
            return false;
        }
    }

    private String randomText(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
