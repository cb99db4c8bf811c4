package io.postbus.auth.spf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The OpenSPF / pyspf test suite (a YAML stream of scenarios, each with tests and zone data), read
 * as /work/shared/conformance/README.md §1 describes it.
 */
final class OpenSpfSuite {
    private OpenSpfSuite() {}

    static Path rfc7208() {
        return Path.of(System.getProperty("postbus.shared.dir", "../../shared"))
                .resolve("conformance").resolve("openspf-rfc7208").resolve("rfc7208-tests.yml");
    }

    /** One scenario: its zone, served by {@link SuiteZoneResolver}, and its tests in file order. */
    record Scenario(int index, String description, SuiteZoneResolver zone, List<Case> cases) {}

    /**
     * One test.
     *
     * @param results     the accepted results, the preferred one first
     * @param explanation the expected exp text of a fail; "DEFAULT" means the receiver's default
     */
    record Case(Scenario scenario, String name, String spec, String helo, String host, String mailFrom,
                List<SpfResult> results, Optional<String> explanation) {

        SpfRequest request() {
            try {
                // Only address literals here, so no DNS is asked.
                return new SpfRequest(InetAddress.getByName(host), helo, mailFrom);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(name + ": host is not an address: " + host, e);
            }
        }

        @Override
        public String toString() {
            return name + " (" + spec + ")";
        }
    }

    static List<Scenario> load(Path file) {
        List<Scenario> scenarios = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                List<Case> cases = new ArrayList<>();
                Scenario scenario = new Scenario(scenarios.size(), doc.path("description").asText(),
                        SuiteZoneResolver.fromZoneData(doc.path("zonedata")), cases);
                doc.path("tests").properties().forEach(t -> cases.add(testCase(scenario, t.getKey(), t.getValue())));
                scenarios.add(scenario);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return scenarios;
    }

    static List<Case> cases(List<Scenario> scenarios) {
        return scenarios.stream().flatMap(s -> s.cases().stream()).toList();
    }

    private static Case testCase(Scenario scenario, String name, JsonNode t) {
        List<SpfResult> results = new ArrayList<>();
        JsonNode result = t.path("result");
        if (result.isArray()) {
            result.forEach(r -> results.add(SpfResult.valueOf(r.asText().toUpperCase(Locale.ROOT))));
        } else {
            results.add(SpfResult.valueOf(result.asText().toUpperCase(Locale.ROOT)));
        }
        Optional<String> explanation = t.hasNonNull("explanation")
                ? Optional.of(t.get("explanation").asText()) : Optional.empty();
        return new Case(scenario, name, t.path("spec").asText(), t.path("helo").asText(), t.path("host").asText(),
                t.path("mailfrom").asText(), List.copyOf(results), explanation);
    }
}
