package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ValiMail ARC signing suite (draft-18), run as stored: for each message, validate the incoming
 * chain, seal with the suite's key at its timestamp, and compare AAR, AMS and AS with the expected values
 * as sets of tag=value strings with all white space deleted, as upstream's runner does.
 *
 * <p>The suite's conventions (its README): the Authentication-Results fields carrying the srv-id are
 * consolidated, in order, into the AAR payload; the chain state is "stamped" as {@code arc=} into them.
 * The stamp is checked against our own validator rather than trusted.
 */
class ValimailArcSignSuiteTest {

    @Test
    void everySigningCaseProducesTheExpectedArcSet() throws Exception {
        List<JsonNode> scenarios = Conformance.yamlStream(Conformance.DIR.resolve("valimail-arc/arc-draft-sign-tests.yml"));
        int total = 0;
        int passed = 0;
        Map<String, String> mismatches = new TreeMap<>();
        for (JsonNode scenario : scenarios) {
            TxtRecordsResolver dns = TxtRecordsResolver.of(Conformance.textMap(scenario.get("txt-records")));
            ArcSigningKey key = new ArcSigningKey(scenario.get("domain").asText(), scenario.get("sel").asText(),
                    SigningAlgorithm.RSA_SHA256, Conformance.pemPrivateKey(scenario.get("privatekey").asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = scenario.get("tests").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode test = entry.getValue();
                total++;
                String problem = run(test, dns, key);
                if (problem == null) {
                    passed++;
                } else {
                    mismatches.put(entry.getKey(), problem);
                }
            }
        }
        System.out.printf("ValiMail ARC sign suite: %d/%d as expected%n", passed, total);
        mismatches.forEach((name, why) -> System.out.println("  differs: " + name + ": " + why));
        assertThat(total).isEqualTo(17);
        assertThat(mismatches).isEmpty();
        assertThat(passed).isEqualTo(17);
    }

    /** Null when the case passes, else what differed. */
    private static String run(JsonNode test, TxtRecordsResolver dns, ArcSigningKey key) {
        RawMessage message = RawMessage.parse(Conformance.crlf(test.get("message").asText()));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(test.get("t").asLong()), ZoneOffset.UTC);
        String srvId = test.get("srv-id").asText();
        String payload = consolidate(message, srvId);
        ArcValidation validation = new ArcValidator(dns, clock, ArcSettings.defaults()).validate(message);
        Optional<String> stamp = arcStamp(payload);
        if (stamp.isPresent() && !stamp.get().equals(validation.status().cvValue())) {
            return "stamped arc=" + stamp.get() + " but our validator says " + validation.status().cvValue()
                    + validation.failure().map(f -> " (" + f.reason() + ")").orElse("");
        }
        List<String> signedHeaders = Arrays.asList(test.get("sig-headers").asText().split(":"));
        SealOutcome outcome = new ArcSealer(key, clock).seal(message, srvId, payload, validation, signedHeaders);
        String expectedAs = test.get("AS").asText();
        if (expectedAs.isBlank()) {
            // "" for all three headers: no set may be added (no_additional_sig).
            return outcome instanceof SealOutcome.NotSealed ? null : "expected no ARC Set, got one";
        }
        if (!(outcome instanceof SealOutcome.Sealed sealed)) {
            return "expected an ARC Set, got " + outcome;
        }
        List<String> problems = new ArrayList<>();
        compare("AAR", test.get("AAR").asText(), sealed.headers().authenticationResults(), problems);
        compare("AMS", test.get("AMS").asText(), sealed.headers().messageSignature(), problems);
        compare("AS", expectedAs, sealed.headers().seal(), problems);
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static void compare(String label, String expected, HeaderField actual, List<String> problems) {
        Set<String> want = tagSet(expected);
        Set<String> got = tagSet(actual.unfoldedValue());
        if (!want.equals(got)) {
            Set<String> missing = new HashSet<>(want);
            missing.removeAll(got);
            Set<String> extra = new HashSet<>(got);
            extra.removeAll(want);
            problems.add(label + " missing " + missing + " extra " + extra);
        }
    }

    /** Upstream's comparison: delete all white space, split at ';', ignore empty pieces and order. */
    static Set<String> tagSet(String value) {
        Set<String> out = new HashSet<>();
        for (String piece : value.replaceAll("\\s+", "").split(";")) {
            if (!piece.isEmpty()) {
                out.add(piece);
            }
        }
        return out;
    }

    /**
     * The suite's AR consolidation: every Authentication-Results field whose authserv-id is {@code srvId},
     * in message order, contributes its results, one after the other, behind a single authserv-id.
     */
    static String consolidate(RawMessage message, String srvId) {
        List<String> results = new ArrayList<>();
        for (HeaderField field : message.headers("Authentication-Results")) {
            String value = field.unfoldedValue().strip();
            int semicolon = value.indexOf(';');
            String id = (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
            if (!id.equalsIgnoreCase(srvId) || semicolon < 0) {
                continue;
            }
            for (String result : value.substring(semicolon + 1).split(";")) {
                if (!result.isBlank()) {
                    results.add(result.strip().replaceAll("\\s+", " "));
                }
            }
        }
        return srvId + "; " + String.join("; ", results);
    }

    /** The arc= result stamped into the consolidated results, if any. */
    private static Optional<String> arcStamp(String payload) {
        for (String piece : payload.split(";")) {
            String p = piece.strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("arc=")) {
                return Optional.of(p.substring(4).split("\\s")[0]);
            }
        }
        return Optional.empty();
    }
}
