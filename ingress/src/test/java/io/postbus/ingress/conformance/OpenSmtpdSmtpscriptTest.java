package io.postbus.ingress.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.postbus.ingress.conformance.PolicyDifferences.PolicyDifference;
import io.postbus.ingress.conformance.ScriptResult.Outcome;
import io.postbus.ingress.conformance.SmtpScript.TestCase;
import io.postbus.ingress.conformance.SmtpscriptReport.CaseVerdict;
import io.postbus.ingress.conformance.SmtpscriptReport.Verdict;
import io.postbus.testkit.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * OpenSMTPD's smtpscript scenarios ({@code ../shared/conformance/opensmtpd-smtpscript}, run as-is)
 * against the real ingress over real sockets, one dynamic test per test-case, named
 * {@code file:case}. Every case must pass, except the policy differences listed (with reasons) in
 * {@link PolicyDifferences}, for which our own expectation is run instead. {@code test.base} tests
 * the engine itself: there the expected outcome is the one upstream's engine reports.
 * The summary goes to stdout and {@code target/opensmtpd-smtpscript-report.txt}.
 */
class OpenSmtpdSmtpscriptTest {
    static final List<String> FILES = List.of("test.base", "test.smtp0", "test.smtp1", "test.smtp2", "test.smtp4",
            "test.mailfrom", "test.rcptto", "test.tls");
    /** README §9: 69 SMTP test-cases plus 7 engine self-tests. */
    static final int SMTP_CASES = 69;
    static final int ENGINE_CASES = 7;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    static final Path REPORT = Path.of("target", "opensmtpd-smtpscript-report.txt");

    /**
     * test.base outcomes as upstream's own engine reports them: case 14 fails on purpose (a
     * {@code fail} without {@code expect fail}, to show a failure), case 18 is skipped. All others pass.
     */
    private static final Map<String, Outcome> ENGINE_EXPECTED = Map.of(
            "test.base:14", Outcome.FAIL,
            "test.base:18", Outcome.SKIP);

    private static IngressUnderTest ingress;
    private static SmtpScriptRunner runner;
    private static SmtpscriptReport report;

    @BeforeAll
    static void startIngress() throws Exception {
        ingress = IngressUnderTest.start();
        int port = ingress.port();
        // Every connect in the scripts (auto-connect 127.0.0.1:25, test.base's "localhost" port 25)
        // goes to the server under test.
        runner = new SmtpScriptRunner((host, p) -> new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT, 20121014L);
        report = new SmtpscriptReport("OpenSMTPD smtpscript suite (" + suiteDir() + ") against the Postbus ingress on 127.0.0.1:"
                + port + ", Kafka " + TestKafka.backend());
    }

    @AfterAll
    static void stopIngress() throws Exception {
        if (ingress != null) {
            ingress.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> opensmtpdSmtpscript() {
        long start = System.nanoTime();
        List<SmtpScript> scripts = FILES.stream().map(OpenSmtpdSmtpscriptTest::load).toList();
        Set<String> ids = new HashSet<>();
        scripts.forEach(s -> s.testCases().forEach(tc -> assertThat(ids.add(tc.id())).as("unique id " + tc.id()).isTrue()));
        assertThat(ids).as("every policy entry names a case of the suite").containsAll(PolicyDifferences.ENTRIES.keySet());

        Stream<DynamicNode> files = scripts.stream().map(s -> dynamicContainer(s.file(),
                s.testCases().stream().map(tc -> dynamicTest(tc.id(), () -> runCase(s, tc)))));
        return Stream.concat(files, Stream.of(dynamicTest("summary", () -> summary(scripts, start))));
    }

    private static void runCase(SmtpScript script, TestCase tc) {
        if (script.file().equals("test.base")) {
            runEngineCase(script, tc);
            return;
        }
        PolicyDifference policy = PolicyDifferences.ENTRIES.get(tc.id());
        ScriptResult upstream = runner.run(script, tc);
        if (policy == null) {
            report.add(new CaseVerdict(script.file(), tc.id(), upstream.passed() ? Verdict.PASSED : Verdict.FAILED,
                    upstream, null, null));
            assertThat(upstream.outcome()).as("%s: %s%n%s", tc.id(), upstream, upstream.dialogue()).isEqualTo(Outcome.PASS);
            return;
        }
        ScriptResult ours = runner.run(script, tc, SmtpScriptParser.parseBody(script, tc.id() + " (ours)", policy.ourBehaviour()));
        boolean confirmed = !upstream.passed() && ours.passed();
        report.add(new CaseVerdict(script.file(), tc.id(), confirmed ? Verdict.POLICY : Verdict.FAILED, upstream, ours,
                policy.reason()));
        assertThat(upstream.outcome()).as("%s is listed as a policy difference but now passes as upstream expects:"
                + " remove the entry%n%s", tc.id(), upstream.dialogue()).isNotEqualTo(Outcome.PASS);
        assertThat(ours.outcome()).as("%s (policy: %s): our expectation: %s%n%s", tc.id(), policy.reason(), ours,
                ours.dialogue()).isEqualTo(Outcome.PASS);
    }

    private static void runEngineCase(SmtpScript script, TestCase tc) {
        Outcome expected = ENGINE_EXPECTED.getOrDefault(tc.id(), Outcome.PASS);
        ScriptResult r = runner.run(script, tc);
        boolean asUpstream = r.outcome() == expected
                && (expected != Outcome.FAIL || "ahaha! I failed".equals(r.reason()));
        report.add(new CaseVerdict(script.file(), tc.id(), asUpstream ? Verdict.PASSED : Verdict.FAILED, r, null,
                "engine self-test, upstream's outcome: " + expected));
        assertThat(asUpstream).as("%s: expected %s as upstream's engine, got %s%n%s", tc.id(), expected, r, r.dialogue())
                .isTrue();
    }

    private static void summary(List<SmtpScript> scripts, long start) throws IOException {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        report.write(REPORT, elapsed);
        System.out.println(report.render(elapsed));
        System.out.println("smtpscript: " + report.summaryLine() + " (report: " + REPORT.toAbsolutePath() + ")");
        long smtp = scripts.stream().filter(s -> !s.file().equals("test.base")).mapToLong(s -> s.testCases().size()).sum();
        long engine = scripts.stream().filter(s -> s.file().equals("test.base")).mapToLong(s -> s.testCases().size()).sum();
        assertThat(smtp).as("SMTP test-cases parsed").isEqualTo(SMTP_CASES);
        assertThat(engine).as("engine self-tests parsed").isEqualTo(ENGINE_CASES);
        List<String> failed = new ArrayList<>();
        report.cases().stream().filter(c -> c.verdict() == Verdict.FAILED).forEach(c -> failed.add(c.id()));
        assertThat(failed).as("smtpscript: %s", report.summaryLine()).isEmpty();
    }

    static Path suiteDir() {
        Path shared = Path.of(System.getProperty("postbus.shared.dir", "../../shared"));
        return shared.resolve("conformance").resolve("opensmtpd-smtpscript").normalize();
    }

    /** The files hold only ASCII; ISO-8859-1 keeps any byte as the same char, so writes send the file's bytes. */
    static String text(String name) {
        try {
            return Files.readString(suiteDir().resolve(name), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("smtpscript suite not found at " + suiteDir()
                    + " (set -Dpostbus.shared.dir)", e);
        }
    }

    static SmtpScript load(String name) {
        return SmtpScriptParser.parse(name, text(name));
    }
}
