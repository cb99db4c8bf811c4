package io.postbus.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aliases(5) format as postalias(1) reads it, with :include: files expanded at load. */
class AliasesFormatTest {
    @TempDir
    Path dir;

    private TableSnapshot parse(String text) {
        return AliasesFormat.parse(text, "aliases", dir);
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private static TableParseException.Problem problemOf(Runnable r) {
        try {
            r.run();
        } catch (TableParseException e) {
            return e.problem();
        }
        throw new AssertionError("no TableParseException");
    }

    @Test
    void nameColonCommaSeparatedValues() {
        // aliases(5): "name: value, value, ..."
        TableSnapshot t = parse("""
                postmaster: root
                root: alice, bob@example.com,carol
                """);
        assertThat(t.get("postmaster")).contains("root");
        assertThat(t.get("root")).contains("alice, bob@example.com, carol");
    }

    @Test
    void continuationLinesAndCommentsAsInEveryPostfixTable() {
        TableSnapshot t = parse("""
                # staff
                staff: alice,
                    bob
                # a comment does not end the entry
                \tcarol
                """);
        assertThat(t.get("staff")).contains("alice, bob, carol");
    }

    @Test
    void namesIgnoreCaseAndMayBeQuoted() {
        TableSnapshot t = parse("""
                Root: admin
                "john smith": john
                """);
        assertThat(t.get("ROOT")).contains("admin");
        assertThat(t.get("John Smith")).contains("john");
    }

    @Test
    void commandsFilesAndQuotedCommandsStayAsDestinations() {
        // aliases(5): |command, /file/name; a command with spaces is quoted.
        TableSnapshot t = parse("""
                log: /var/log/mail-copy, "|/usr/bin/vacation joe", joe
                """);
        assertThat(t.get("log")).contains("/var/log/mail-copy, \"|/usr/bin/vacation joe\", joe");
    }

    @Test
    void laterDuplicateIsAWarningFirstWins() {
        TableSnapshot t = parse("a: one\nb: two\nA: three\n");
        assertThat(t.get("a")).contains("one");
        assertThat(t.warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(TableWarning.Kind.DUPLICATE_KEY);
            assertThat(w.line()).isEqualTo(3);
        });
    }

    @Test
    void lineWithoutColonNeedsNameValuePair() {
        // postalias: "need name:value pair".
        assertThatThrownBy(() -> parse("a: b\njust-a-name\n")).isInstanceOfSatisfying(TableParseException.class, e -> {
            assertThat(e.problem()).isEqualTo(TableParseException.Problem.NEED_NAME_VALUE);
            assertThat(e.line()).isEqualTo(2);
        });
        assertThat(problemOf(() -> parse("empty:\n"))).isEqualTo(TableParseException.Problem.NEED_NAME_VALUE);
        assertThat(problemOf(() -> parse("empty:   , ,\n"))).isEqualTo(TableParseException.Problem.NEED_NAME_VALUE);
        assertThat(problemOf(() -> parse(": value\n"))).isEqualTo(TableParseException.Problem.NEED_NAME_VALUE);
        // postalias rejects a comma before the colon (two names).
        assertThat(problemOf(() -> parse("a, b: c\n"))).isEqualTo(TableParseException.Problem.NEED_NAME_VALUE);
    }

    @Test
    void nameMustBeLocal() {
        // postalias: "name must be local" — no '@' or '%' outside quotes.
        assertThat(problemOf(() -> parse("joe@example.com: joe\n"))).isEqualTo(TableParseException.Problem.NAME_NOT_LOCAL);
        assertThat(problemOf(() -> parse("joe%example.com: joe\n"))).isEqualTo(TableParseException.Problem.NAME_NOT_LOCAL);
        assertThat(parse("\"odd@name\": joe\n").get("odd@name")).contains("joe");
    }

    @Test
    void unbalancedQuoteIsAnError() {
        assertThat(problemOf(() -> parse("a: \"|/bin/cmd\n"))).isEqualTo(TableParseException.Problem.UNBALANCED_QUOTE);
        assertThat(problemOf(() -> parse("\"a: b\n"))).isEqualTo(TableParseException.Problem.UNBALANCED_QUOTE);
    }

    @Test
    void includeWithAbsolutePath() throws IOException {
        // aliases(5) :include:/file/name — the destinations listed in that file.
        Path list = write("lists/staff", """
                # staff list
                alice, bob
                carol@example.com

                """);
        TableSnapshot t = parse("staff: :include:" + list + ", boss\n");
        assertThat(t.get("staff")).contains("alice, bob, carol@example.com, boss");
    }

    @Test
    void includeRelativeToTheIncludingFileAndNested() throws IOException {
        write("lists/all", "\":include:team\", dave\n");
        write("lists/team", "alice\n:include:sub/ops\n");
        write("lists/sub/ops", "oncall@example.com\n");
        Path aliases = write("aliases", "all: :include:lists/all\n");
        TableSnapshot t = TableSource.aliases(aliases).load();
        assertThat(t.get("all")).contains("alice, oncall@example.com, dave");
        assertThat(t.sources()).containsExactly(aliases, dir.resolve("lists/all"), dir.resolve("lists/team"),
                dir.resolve("lists/sub/ops"));
    }

    @Test
    void includeDepthIsLimited() throws IOException {
        write("l1", ":include:l2\n");
        write("l2", ":include:l3\n");
        write("l3", "x\n");
        Path aliases = write("aliases", "a: :include:l1\n");
        assertThat(new TableSource(aliases, TableFormat.ALIASES, 3).load().get("a")).contains("x");
        assertThatThrownBy(() -> new TableSource(aliases, TableFormat.ALIASES, 2).load())
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.INCLUDE_TOO_DEEP);
                    assertThat(e.source()).isEqualTo(dir.resolve("l2").toString());
                    assertThat(e.line()).isEqualTo(1);
                });
    }

    @Test
    void includeCycleIsAnError() throws IOException {
        write("x", "a\n:include:y\n");
        write("y", ":include:x\n");
        Path aliases = write("aliases", "loop: :include:x\n");
        assertThatThrownBy(() -> TableSource.aliases(aliases).load())
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.INCLUDE_CYCLE);
                    assertThat(e.source()).isEqualTo(dir.resolve("y").toString());
                });
        Path self = write("self-aliases", "me: :include:self-aliases\n");
        assertThat(problemOf(() -> TableSource.aliases(self).load())).isEqualTo(TableParseException.Problem.INCLUDE_CYCLE);
    }

    @Test
    void missingIncludeIsUnreadableAtTheLineThatNamesIt() throws IOException {
        Path aliases = write("aliases", "a: b\n\nc: :include:/nonexistent/list\n");
        assertThatThrownBy(() -> TableSource.aliases(aliases).load())
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.UNREADABLE);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.source()).isEqualTo(aliases.toString());
                });
    }

    @Test
    void errorInsideAnIncludeFileNamesThatFileAndLine() throws IOException {
        write("list", "alice\n# c\n\"bob\n");
        Path aliases = write("aliases", "a: :include:list\n");
        assertThatThrownBy(() -> TableSource.aliases(aliases).load())
                .isInstanceOfSatisfying(TableParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(TableParseException.Problem.UNBALANCED_QUOTE);
                    assertThat(e.source()).isEqualTo(dir.resolve("list").toString());
                    assertThat(e.line()).isEqualTo(3);
                });
    }

    @Test
    void includeReaderIsInjectable() {
        TableSnapshot t = AliasesFormat.parse("a: :include:/virtual/list\n", "aliases", Path.of("/"),
                file -> "x, y\n".getBytes(), 5);
        assertThat(t.get("a")).contains("x, y");
    }

    @Test
    void aliasWhoseOnlyIncludeIsEmptyHasNoDestinations() throws IOException {
        write("empty", "# nobody yet\n");
        assertThat(problemOf(() -> parse("a: :include:empty\n"))).isEqualTo(TableParseException.Problem.NEED_NAME_VALUE);
        assertThat(parse("a: :include:empty, b\n").get("a")).contains("b");
    }
}
