package io.postbus.auth.psl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list format and algorithm (publicsuffix.org/list), on small hand-made lists. */
class PublicSuffixListTest {

    private static final List<String> SMALL = List.of(
            "// a comment line",
            "// ===BEGIN ICANN DOMAINS===",
            "com",
            "uk",
            "co.uk",
            "*.ck",
            "!www.ck",
            "jp",
            "*.kobe.jp",
            "!city.kobe.jp",
            "公司.cn",
            "cn",
            "net   // text after the rule is ignored",
            "// ===END ICANN DOMAINS===",
            "",
            "// ===BEGIN PRIVATE DOMAINS===",
            "github.io",
            "io",
            "// ===END PRIVATE DOMAINS===");

    private final PublicSuffixList psl = PublicSuffixList.parse(SMALL);

    @Test
    void normalRuleWithMostLabelsPrevails() {
        assertThat(psl.publicSuffix("a.b.example.co.uk")).contains("co.uk");
        assertThat(psl.registrableDomain("a.b.example.co.uk")).contains("example.co.uk");
        assertThat(psl.registrableDomain("co.uk")).isEmpty();
    }

    @Test
    void wildcardMatchesOneLabelAndExceptionOverridesIt() {
        assertThat(psl.publicSuffix("b.test.ck")).contains("test.ck");
        assertThat(psl.registrableDomain("test.ck")).isEmpty();
        assertThat(psl.registrableDomain("a.b.test.ck")).contains("b.test.ck");
        // !www.ck: www.ck is registrable, its public suffix is ck
        assertThat(psl.publicSuffix("www.ck")).contains("ck");
        assertThat(psl.registrableDomain("www.www.ck")).contains("www.ck");
        assertThat(psl.registrableDomain("www.city.kobe.jp")).contains("city.kobe.jp");
    }

    @Test
    void unlistedTldFallsUnderTheImplicitStarRule() {
        assertThat(psl.publicSuffix("example.example")).contains("example");
        assertThat(psl.registrableDomain("a.b.example.example")).contains("example.example");
        assertThat(psl.registrableDomain("example")).isEmpty();
    }

    @Test
    void caseAndTrailingDotAndUnusableNames() {
        assertThat(psl.registrableDomain("WWW.Example.COM")).contains("example.com");
        assertThat(psl.registrableDomain("www.example.com.")).contains("example.com");
        assertThat(psl.registrableDomain(null)).isEmpty();
        assertThat(psl.registrableDomain("")).isEmpty();
        assertThat(psl.registrableDomain(".example.com")).isEmpty();
        assertThat(psl.registrableDomain("a..example.com")).isEmpty();
        assertThat(psl.registrableDomain("x".repeat(64) + ".com")).isEmpty();
    }

    @Test
    void idnMatchesOnALabelsAndAnswersInTheCallersForm() {
        assertThat(psl.registrableDomain("www.食狮.公司.cn")).contains("食狮.公司.cn");
        assertThat(psl.registrableDomain("www.xn--85x722f.xn--55qx5d.cn")).contains("xn--85x722f.xn--55qx5d.cn");
        // The ideographic full stop separates labels too (IDNA, RFC 3490 §3.1).
        assertThat(psl.registrableDomain("www.食狮。公司.cn")).contains("食狮.公司.cn");
        assertThat(psl.publicSuffix("xn--55qx5d.cn")).contains("xn--55qx5d.cn");
    }

    @Test
    void sectionsCanBeSelected() {
        assertThat(psl.registrableDomain("user.github.io")).contains("user.github.io");
        PublicSuffixList icannOnly = PublicSuffixList.parse(SMALL, EnumSet.of(PublicSuffixList.Section.ICANN));
        assertThat(icannOnly.registrableDomain("user.github.io")).contains("github.io");
        assertThat(icannOnly.size()).isLessThan(psl.size());
    }

    @Test
    void realListKeepsEveryRule() throws IOException {
        long rules = Files.readAllLines(TestPsl.listFile()).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("//")).distinct().count();
        PublicSuffixList real = TestPsl.list();
        assertThat(real.size()).isGreaterThan(9_000).isEqualTo((int) rules);
        assertThat(real.registrableDomain("foo.bar.blogspot.com")).contains("bar.blogspot.com");
        assertThat(real.registrableDomain("mail.example.co.uk")).contains("example.co.uk");
    }

    @Test
    void configuredPathComesFirst(@TempDir Path dir) throws IOException {
        Path configured = dir.resolve("list.dat");
        Files.write(configured, List.of("example"));
        Path other = dir.resolve("other.dat");
        Files.write(other, List.of("com"));
        PublicSuffixList chosen = PublicSuffixList.locate(Optional.of(configured), List.of(other));
        assertThat(chosen.registrableDomain("a.b.example")).contains("b.example");
        assertThat(chosen.size()).isEqualTo(1);
    }

    @Test
    void systemFileIsUsedWhenNothingIsConfigured(@TempDir Path dir) throws IOException {
        Path system = dir.resolve("public_suffix_list.dat");
        Files.write(system, List.of("com", "co.uk", "uk"));
        PublicSuffixList chosen = PublicSuffixList.locate(Optional.empty(), List.of(dir.resolve("missing"), system));
        assertThat(chosen.registrableDomain("a.example.co.uk")).contains("example.co.uk");
    }

    @Test
    void missingConfiguredFileOrNoListAtAllFailsFast(@TempDir Path dir) {
        assertThatThrownBy(() -> PublicSuffixList.locate(Optional.of(dir.resolve("nope")), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> PublicSuffixList.locate(Optional.empty(), List.of(dir.resolve("nope"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("publicsuffix");
    }

    @Test
    void debianPackageListLoadsWhenInstalled() {
        assumeTrue(Files.isReadable(PublicSuffixList.DEBIAN_LIST), "Debian package publicsuffix not installed");
        PublicSuffixList debian = PublicSuffixList.locate(Optional.empty());
        assertThat(debian.registrableDomain("www.example.co.uk")).contains("example.co.uk");
    }
}
