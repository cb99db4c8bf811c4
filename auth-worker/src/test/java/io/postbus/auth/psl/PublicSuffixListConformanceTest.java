package io.postbus.auth.psl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Public Suffix List's own tests, run as they are, against the list from the same commit:
 * {@code tests.txt} ("input expected") and {@code test_psl.txt} ("checkPublicSuffix('input',
 * 'expected');"). Expected is the registrable domain, RFC 7489 §3.2's Organizational Domain;
 * {@code null} means none (null input, a public suffix, a leading dot). Commented-out cases stay out.
 */
class PublicSuffixListConformanceTest {

    private static final int CASES = 78;
    private static final Pattern CHECK = Pattern.compile("checkPublicSuffix\\((null|'[^']*'), (null|'[^']*')\\);");

    record Case(String input, String expected, String line) {}

    @Test
    void testsTxtAllPass() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(TestPsl.conformance().resolve("publicsuffix/tests.txt"), StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("//")) {
                continue;
            }
            String[] f = l.split("\\s+");
            cases.add(new Case(nullable(f[0]), nullable(f[1]), l));
        }
        assertAllPass("tests.txt", cases);
    }

    @Test
    void testPslTxtAllPass() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(TestPsl.conformance().resolve("publicsuffix/test_psl.txt"), StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("//")) {
                continue;
            }
            Matcher m = CHECK.matcher(l);
            assertThat(m.matches()).as("unrecognised line %s", l).isTrue();
            cases.add(new Case(unquote(m.group(1)), unquote(m.group(2)), l));
        }
        assertAllPass("test_psl.txt", cases);
    }

    private static void assertAllPass(String suite, List<Case> cases) {
        PublicSuffixList psl = TestPsl.list();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            String actual = psl.registrableDomain(c.input()).orElse(null);
            if (!java.util.Objects.equals(actual, c.expected())) {
                failures.add(c.line() + " -> " + actual);
            }
        }
        int passed = cases.size() - failures.size();
        System.out.printf("PSL %s: %d/%d pass%n", suite, passed, cases.size());
        assertThat(failures).as(suite).isEmpty();
        assertThat(cases).hasSize(CASES);
    }

    private static String nullable(String s) {
        return s.equals("null") ? null : s;
    }

    private static String unquote(String s) {
        return s.equals("null") ? null : s.substring(1, s.length() - 1);
    }
}
