package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The OpenSPF RFC 7208 test suite (rfc7208-tests.yml, 203 tests), run as it is: each scenario's
 * zone data served by {@link SuiteZoneResolver}, each test through {@link SpfVerifier#verify}, the
 * result checked against the accepted ones and the explanation, where given, compared exactly.
 */
class Rfc7208SuiteTest {

    static final int SUITE_SIZE = 203;

    /** Tests we knowingly answer otherwise, with the RFC reason. None: every test passes. */
    static final Map<String, String> KNOWN_DIFFERENCES = Map.of();

    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);

    /** pyspf's runner: receiver "unknown", default explanation "DEFAULT"; otherwise the RFC 7208 defaults. */
    static SpfSettings suiteSettings() {
        return SpfSettings.defaults("unknown").withDefaultExplanation("DEFAULT");
    }

    static SpfVerdict run(OpenSpfSuite.Case c) {
        return new SpfVerifier(c.scenario().zone(), CLOCK, suiteSettings()).verify(c.request()).verdict();
    }

    /** Null when the verdict is what the suite expects, else what differs. */
    static String mismatch(OpenSpfSuite.Case c, SpfVerdict v) {
        if (!c.results().contains(v.result())) {
            return "result " + v.result() + ", expected " + c.results() + " " + v.reason().orElse("");
        }
        if (c.explanation().isPresent() && !c.explanation().equals(v.explanation())) {
            return "explanation " + v.explanation() + ", expected " + c.explanation().get();
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> eachSuiteTest() {
        return OpenSpfSuite.cases(OpenSpfSuite.load(OpenSpfSuite.rfc7208())).stream()
                .filter(c -> !KNOWN_DIFFERENCES.containsKey(c.name()))
                .map(c -> DynamicTest.dynamicTest(c.name() + " [" + c.spec() + "]",
                        () -> assertThat(mismatch(c, run(c))).as(c.toString()).isNull()));
    }

    @Test
    void passesTheWholeSuite() {
        List<OpenSpfSuite.Case> cases = OpenSpfSuite.cases(OpenSpfSuite.load(OpenSpfSuite.rfc7208()));
        assertThat(cases).hasSize(SUITE_SIZE);
        List<String> failed = new ArrayList<>();
        List<String> notPreferred = new ArrayList<>();
        for (OpenSpfSuite.Case c : cases) {
            SpfVerdict v = run(c);
            String mismatch = mismatch(c, v);
            if (mismatch != null) {
                failed.add(c.name() + ": " + mismatch);
            } else if (v.result() != c.results().get(0)) {
                notPreferred.add(c.name() + ": " + v.result() + " (preferred " + c.results().get(0) + ")");
            }
        }
        int passed = cases.size() - failed.size();
        System.out.printf("RFC 7208 suite: %d/%d passed; accepted but not preferred: %s; failed: %s%n",
                passed, cases.size(), notPreferred, failed);
        assertThat(failed).as("tests failing").allSatisfy(f ->
                assertThat(KNOWN_DIFFERENCES).containsKey(f.substring(0, f.indexOf(':'))));
        assertThat(passed).isEqualTo(SUITE_SIZE - KNOWN_DIFFERENCES.size());
    }
}
