package io.postbus.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDefTest {

    private static ConfigDef def() {
        return new ConfigDef()
                .define("myhostname", ConfigType.STRING, null, "Host name used in the greeting and Received headers.")
                .define("message_size_limit", ConfigType.SIZE, "10240000", v -> (Long) v > 0, "> 0",
                        "Largest message accepted, in bytes.")
                .define("smtpd_timeout", ConfigType.DURATION, "300s", "Idle timeout of an SMTP session.")
                .define("smtpd_tls_enabled", ConfigType.BOOLEAN, "no", "Offer STARTTLS.")
                .define("mynetworks", ConfigType.LIST, "127.0.0.0/8 [::1]/128", "Clients allowed to relay.")
                .define("smtpd_client_connection_count_limit", ConfigType.INT, "50", v -> (Integer) v >= 0, ">= 0",
                        "Concurrent sessions per client.");
    }

    @Test
    void defaultsFillWhatTheFileLeavesOutAndValuesAreTyped() {
        ConfigValues v = def().parse(Map.of("myhostname", "mx.example.com", "smtpd_timeout", "5m"));

        assertThat(v.string("myhostname")).isEqualTo("mx.example.com");
        assertThat(v.size("message_size_limit")).isEqualTo(10_240_000L);
        assertThat(v.duration("smtpd_timeout")).isEqualTo(Duration.ofMinutes(5));
        assertThat(v.bool("smtpd_tls_enabled")).isFalse();
        assertThat(v.list("mynetworks")).containsExactly("127.0.0.0/8", "[::1]/128");
        assertThat(v.integer("smtpd_client_connection_count_limit")).isEqualTo(50);
    }

    @Test
    void unknownKeyIsRejectedWithTheNearestKnownKeySuggested() {
        assertThatThrownBy(() -> def().parse(Map.of("myhostname", "mx", "mesage_size_limit", "35m")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("unknown key 'mesage_size_limit' (did you mean 'message_size_limit'?)"));
    }

    @Test
    void unknownKeyFarFromEveryKnownKeyGetsNoSuggestion() {
        assertThatThrownBy(() -> def().parse(Map.of("myhostname", "mx", "relayhost", "[smtp.example.net]")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("unknown key 'relayhost'"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("smtpd_timout", "300s");                        // typo
        raw.put("message_size_limit", "0");                     // fails the validator
        raw.put("smtpd_tls_enabled", "maybe");                  // not a boolean
        raw.put("smtpd_client_connection_count_limit", "ten");  // not an int
        // and myhostname, which is required, is missing

        assertThatThrownBy(() -> def().parse(raw)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(5);
            assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("'smtpd_timout'", "did you mean 'smtpd_timeout'"));
            assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("missing required key 'myhostname'", "greeting"));
            assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("'message_size_limit' = '0'", "> 0"));
            assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("'smtpd_tls_enabled' = 'maybe'", "boolean"));
            assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("'smtpd_client_connection_count_limit' = 'ten'", "int"));
            for (String p : e.problems()) {
                assertThat(e.getMessage()).contains(p);
            }
        });
    }

    @Test
    void aValueTooLargeForItsTypeIsAProblemNotACrash() {
        assertThatThrownBy(() -> def().parse(Map.of("myhostname", "mx", "message_size_limit", "99999999999999g")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("message_size_limit", "not a valid size"));
    }

    @Test
    void aKeyCanBeDefinedOnlyOnce() {
        ConfigDef d = new ConfigDef().define("a", ConfigType.STRING, "x", "doc");
        assertThatThrownBy(() -> d.define("a", ConfigType.INT, "1", "doc"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a");
    }

    @Test
    void askingForAnUndeclaredKeyIsAProgrammingError() {
        ConfigValues v = def().parse(Map.of("myhostname", "mx"));
        assertThatThrownBy(() -> v.string("myorigin")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("myorigin");
    }

    @Test
    void referenceDocumentationListsEveryKeyWithTypeDefaultRangeAndDoc() {
        ConfigDef d = def();
        String md = d.toMarkdown();
        List<String> rows = md.lines().skip(2).toList();

        assertThat(rows).hasSize(d.keys().size());
        for (ConfigDef.Key k : d.keys().values()) {
            assertThat(md).contains("| `" + k.name() + "` | " + k.type().name().toLowerCase(java.util.Locale.ROOT) + " | ");
            assertThat(md).contains(k.doc());
        }
        assertThat(md).contains("| `myhostname` | string | (required) |");
        assertThat(md).contains("| `message_size_limit` | size | `10240000` | > 0 | Largest message accepted, in bytes. |");
        assertThat(md.lines().findFirst()).hasValue("| key | type | default | valid | description |");
    }
}
