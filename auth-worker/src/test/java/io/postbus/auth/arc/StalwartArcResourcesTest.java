package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.message.RawMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stalwart mail-auth's ARC resources, as stored: TXT lines ({@code name value}, split at the first
 * space), a blank line, the message. Upstream expects pass for both. 001 is real multi-hop list mail;
 * 002 has an ed25519-sha256 set (i=1) sealed over by an rsa-sha256 set (i=2).
 */
class StalwartArcResourcesTest {
    private static final Path DIR = Conformance.DIR.resolve("stalwart-mail-auth/resources/arc");
    /** Upstream's fixed clock for its resources (2022-11-07T17:54:24Z). */
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1667843664L), ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"001.txt", "002.txt"})
    void chainPasses(String file) throws Exception {
        String text = Files.readString(DIR.resolve(file));
        int split = text.indexOf("\n\n");
        Map<String, String> records = new LinkedHashMap<>();
        for (String line : text.substring(0, split).split("\n")) {
            int space = line.indexOf(' ');
            records.put(line.substring(0, space), line.substring(space + 1));
        }
        RawMessage message = RawMessage.parse(Conformance.crlf(text.substring(split + 2)));
        ArcValidation result = new ArcValidator(TxtRecordsResolver.of(records), CLOCK, ArcSettings.defaults()).validate(message);
        System.out.printf("Stalwart ARC %s: %s, %d instances, oldest-pass %s%n", file, result.status(), result.instances(),
                result.oldestPass());
        assertThat(result.failure()).isEmpty();
        assertThat(result.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(result.instanceResults()).allSatisfy(r -> assertThat(r.seal().passed()).isTrue());
    }
}
