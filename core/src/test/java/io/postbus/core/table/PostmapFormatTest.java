package io.postbus.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The postmap(1) input format as virtual(5) "TABLE FORMAT" and readlline(3) describe it. */
class PostmapFormatTest {
    @TempDir
    Path dir;

    private static TableSnapshot parse(String text) {
        return PostmapFormat.parse(text, "virtual");
    }

    @Test
    void keyWhitespaceValueWithTrimmedValue() {
        // virtual(5): "pattern result"; postmap splits at the first white space and trims both.
        TableSnapshot t = parse("joe@example.com\t  joe@mailbox.example.net   \n");
        assertThat(t.get("joe@example.com")).contains("joe@mailbox.example.net");
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.warnings()).isEmpty();
    }

    @Test
    void valueKeepsInnerWhitespaceAndCommas() {
        TableSnapshot t = parse("list@example.com a@example.com, b@example.com  c@example.com\n");
        assertThat(t.get("list@example.com")).contains("a@example.com, b@example.com  c@example.com");
    }

    @Test
    void keysIgnoreCaseValuesKeepIt() {
        // Postfix opens tables with DICT_FLAG_FOLD_FIX: keys are folded to lower case.
        TableSnapshot t = parse("Joe@Example.COM Joe.Smith@Example.net\n");
        assertThat(t.entries()).containsOnlyKeys("joe@example.com");
        assertThat(t.get("JOE@EXAMPLE.COM")).contains("Joe.Smith@Example.net");
    }

    @Test
    void blankLinesAndCommentLinesAreIgnoredButHashInsideALineIsText() {
        // virtual(5): "lines whose first non-whitespace character is a `#'" are comments.
        TableSnapshot t = parse("""
                # a comment

                   # an indented comment
                a@example.com x#y@example.net # not a comment
                """);
        assertThat(t.entries()).containsOnlyKeys("a@example.com");
        assertThat(t.get("a@example.com")).contains("x#y@example.net # not a comment");
    }

    @Test
    void continuationLinesStartWithWhitespaceAndCommentsDoNotEndThem() {
        // virtual(5) "multi-line text": a line that starts with whitespace continues a logical line.
        TableSnapshot t = parse("""
                team@example.com a@example.com,
                  b@example.com,
                # a comment line inside the entry
                \tc@example.com
                next@example.com n@example.com
                """);
        assertThat(t.get("team@example.com")).contains("a@example.com,  b@example.com,\tc@example.com");
        assertThat(t.get("next@example.com")).contains("n@example.com");
    }

    @Test
    void crlfLineEndsReadTheSame() {
        TableSnapshot t = parse("a@example.com b@example.com\r\nc@example.com d@example.com\r\n");
        assertThat(t.get("a@example.com")).contains("b@example.com");
        assertThat(t.get("c@example.com")).contains("d@example.com");
    }

    @Test
    void laterDuplicateIsAWarningAndTheFirstValueStays() {
        // postmap with DICT_FLAG_DUP_WARN: "duplicate entry", the first value is kept.
        TableSnapshot t = parse("""
                a@example.com first@example.net
                b@example.com b@example.net
                A@EXAMPLE.COM second@example.net
                """);
        assertThat(t.get("a@example.com")).contains("first@example.net");
        assertThat(t.warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(TableWarning.Kind.DUPLICATE_KEY);
            assertThat(w.line()).isEqualTo(3);
            assertThat(w.detail()).contains("a@example.com").contains("line 1");
        });
    }

    @Test
    void aliasStyleKeyIsAWarning() {
        // postmap: record is in "key: value" format; is this an alias file?
        TableSnapshot t = parse("root: admin@example.com\n");
        assertThat(t.warnings()).extracting(TableWarning::kind).containsExactly(TableWarning.Kind.KEY_LOOKS_LIKE_ALIAS);
        assertThat(t.get("root:")).contains("admin@example.com");
    }

    @Test
    void quotedKeyMayContainWhitespaceAndStaysQuoted() {
        // postmap leaves the key in quoted form; the key ends at white space outside quotes.
        TableSnapshot t = parse("\"john smith\"@example.com js@example.net\n");
        assertThat(t.get("\"John Smith\"@example.com")).contains("js@example.net");
    }

    @Test
    void missingValueIsAnErrorWithItsLine() {
        // postmap: "expected format: key whitespace value".
        assertThatThrownBy(() -> parse("a@example.com b@example.com\n\n# c\nlonely@example.com\n"))
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.MISSING_VALUE);
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.source()).isEqualTo("virtual");
                    assertThat(e.getMessage()).isEqualTo("virtual, line 4: expected format: key whitespace value");
                });
    }

    @Test
    void keyWithOnlyTrailingWhitespaceHasNoValue() {
        assertThatThrownBy(() -> parse("a@example.com   \t\n"))
                .isInstanceOfSatisfying(TableParseException.class,
                        e -> assertThat(e.problem()).isEqualTo(TableParseException.Problem.MISSING_VALUE));
    }

    @Test
    void continuationBeforeAnyEntryIsAnError() {
        // readlline(3): "logical line must not start with whitespace".
        assertThatThrownBy(() -> parse("# header\n  stray@example.com x@example.com\na@example.com b\n"))
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.CONTINUATION_WITHOUT_ENTRY);
                    assertThat(e.line()).isEqualTo(2);
                });
    }

    @Test
    void unbalancedQuoteInKeyIsAnError() {
        assertThatThrownBy(() -> parse("ok@example.com x\n\"open@example.com x\n"))
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.UNBALANCED_QUOTE);
                    assertThat(e.line()).isEqualTo(2);
                });
    }

    @Test
    void nulIsAnError() {
        assertThatThrownBy(() -> parse("a@example.com b\nc@example.com d\0e\n"))
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.INVALID_TEXT);
                    assertThat(e.line()).isEqualTo(2);
                });
    }

    @Test
    void fileWithInvalidUtf8IsRejectedWithTheLine() throws IOException {
        Path f = dir.resolve("virtual");
        byte[] good = "a@example.com b@example.com\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'c', ' ', (byte) 0xe9, '\n'};
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(f, all);
        assertThatThrownBy(() -> TableSource.postmap(f).load())
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.INVALID_TEXT);
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.source()).isEqualTo(f.toString());
                });
    }

    @Test
    void utf8KeysAndValuesLoadFromAFile() throws IOException {
        Path f = dir.resolve("virtual");
        Files.writeString(f, "JÖRG@Bücher.example jorg@example.net\n", StandardCharsets.UTF_8);
        TableSnapshot t = TableSource.postmap(f).load();
        assertThat(t.get("jörg@bücher.example")).contains("jorg@example.net");
        assertThat(t.sources()).containsExactly(f);
        assertThat(t.name()).isEqualTo(f.toString());
    }

    @Test
    void missingFileIsUnreadable() {
        assertThatThrownBy(() -> TableSource.postmap(dir.resolve("nope")).load())
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.UNREADABLE);
                    assertThat(e.line()).isZero();
                });
    }

    @Test
    void emptyTextIsAnEmptyTable() {
        assertThat(parse("").size()).isZero();
        assertThat(parse("\n# only comments\n\n").size()).isZero();
    }
}
