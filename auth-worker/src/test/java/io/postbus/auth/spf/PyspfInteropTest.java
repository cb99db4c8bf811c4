package io.postbus.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.ToolResult;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Interop: our verdicts against pyspf's (Debian python3-spf, the reference implementation the
 * OpenSPF suite grew up with) on the RFC 7208 suite's zone data, test by test. pyspf runs through
 * src/test/resources/spf/pyspf_suite.py, which serves DNS from the same zonedata.
 */
class PyspfInteropTest {

    /**
     * Debian's interpreter: python3-spf and python3-yaml install into its dist-packages, which a
     * python3 earlier on PATH (pyenv, a virtualenv) does not see.
     */
    static final String PYTHON = "/usr/bin/python3";

    /** Tests where we knowingly give another verdict than pyspf, with the RFC reason. None. */
    static final Map<String, String> KNOWN_DEVIATIONS = Map.of();

    private static final Map<String, SpfResult> PYSPF_RESULTS = Map.of(
            "unknown", SpfResult.PERMERROR, "error", SpfResult.TEMPERROR); // pyspf's RFC 4408-era names

    @Test
    void verdictsAgreeWithPyspfTestByTest() throws Exception {
        ExternalTool.require(PYTHON);
        Path suite = OpenSpfSuite.rfc7208().toAbsolutePath();
        ToolResult run = ExternalTool.run(Duration.ofSeconds(120), List.of(PYTHON, script().toString(), suite.toString()));
        run.assertSuccess();
        JsonNode pyspf = new ObjectMapper().readTree(run.stdout());

        Map<String, OpenSpfSuite.Case> cases = new HashMap<>();
        for (OpenSpfSuite.Case c : OpenSpfSuite.cases(OpenSpfSuite.load(suite))) {
            cases.put(c.scenario().index() + "/" + c.name(), c);
        }
        assertThat(pyspf).hasSize(cases.size());

        int agreed = 0;
        int explanationsCompared = 0;
        int mechanismsCompared = 0;
        List<String> disagreements = new ArrayList<>();
        for (JsonNode p : pyspf) {
            OpenSpfSuite.Case c = cases.get(p.get("scenario").asInt() + "/" + p.get("test").asText());
            assertThat(c).as("pyspf ran a test we do not know: " + p).isNotNull();
            SpfVerdict ours = Rfc7208SuiteTest.run(c);
            String theirsText = p.get("result").asText();
            SpfResult theirs = PYSPF_RESULTS.getOrDefault(theirsText, SpfResult.valueOf(theirsText.toUpperCase(Locale.ROOT)));
            if (ours.result() != theirs) {
                disagreements.add(c.name() + ": ours " + ours.result() + " (" + ours.reason().orElse("") + "), pyspf " + theirs);
                continue;
            }
            agreed++;
            if (theirs == SpfResult.FAIL) {
                // pyspf gives the explanation for every result; the RFC (§6.2) and we only for fail.
                explanationsCompared++;
                if (!ours.explanation().equals(Optional.of(p.get("explanation").asText()))) {
                    disagreements.add(c.name() + ": explanation ours " + ours.explanation() + ", pyspf " + p.get("explanation"));
                }
            }
            if (!theirs.isError() && theirs != SpfResult.NONE) {
                mechanismsCompared++;
                Optional<String> theirMechanism = p.get("mechanism").isNull()
                        ? Optional.empty() : Optional.of(p.get("mechanism").asText());
                if (!ours.mechanism().equals(theirMechanism)) {
                    disagreements.add(c.name() + ": mechanism ours " + ours.mechanism() + ", pyspf " + theirMechanism);
                }
            }
        }
        System.out.printf("pyspf interop: %d/%d verdicts agree; %d fail explanations and %d matched mechanisms"
                + " compared; disagreements: %s%n", agreed, cases.size(), explanationsCompared, mechanismsCompared,
                disagreements);
        assertThat(disagreements).as("disagreements with pyspf").allSatisfy(d ->
                assertThat(KNOWN_DEVIATIONS).containsKey(d.substring(0, d.indexOf(':'))));
        assertThat(agreed).isEqualTo(cases.size() - KNOWN_DEVIATIONS.size());
        assertThat(explanationsCompared).isPositive();
        assertThat(mechanismsCompared).isPositive();
    }

    private static Path script() throws URISyntaxException {
        return Path.of(PyspfInteropTest.class.getResource("/spf/pyspf_suite.py").toURI());
    }
}
