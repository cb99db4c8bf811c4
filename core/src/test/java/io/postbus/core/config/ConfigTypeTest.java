package io.postbus.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Value syntax follows Postfix's main.cf where Postfix has one (postconf(5): time units, sizes, lists). */
class ConfigTypeTest {

    @ParameterizedTest
    @CsvSource({
            "300s, PT5M",
            "300, PT5M",        // a bare number is seconds, as in Postfix
            "5m, PT5M",
            "1h, PT1H",
            "5d, PT120H",
            "1w, PT168H",
            "250ms, PT0.25S",
            "0, PT0S",
            "' 10 s ', PT10S",
            "2H, PT2H"})
    void durations(String text, String iso) {
        assertThat(ConfigType.DURATION.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-5s", "1.5h", "5 minutes", "5x", "5mss", "99999999999999999999"})
    void notDurations(String text) {
        assertThatThrownBy(() -> ConfigType.DURATION.parse(text)).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "10240000, 10240000",
            "35m, 36700160",     // 35 MiB
            "35M, 36700160",
            "35mb, 36700160",
            "35MiB, 36700160",
            "512k, 524288",
            "1g, 1073741824",
            "7b, 7",
            "0, 0"})
    void sizes(String text, long bytes) {
        assertThat(ConfigType.SIZE.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "-1", "1.5m", "35q", "35 megabytes", "9999999999999g"})
    void notSizes(String text) {
        assertThatThrownBy(() -> ConfigType.SIZE.parse(text)).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @CsvSource({"yes, true", "YES, true", "true, true", "on, true", "no, false", "false, false", "Off, false"})
    void booleans(String text, boolean value) {
        assertThat(ConfigType.BOOLEAN.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "0", "y", "maybe", "enabled"})
    void notBooleans(String text) {
        assertThatThrownBy(() -> ConfigType.BOOLEAN.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsSplitOnCommasAndWhiteSpaceLikePostfix() {
        assertThat(ConfigType.LIST.parse("127.0.0.0/8, [::1]/128  192.168.0.0/16")).isEqualTo(List.of("127.0.0.0/8", "[::1]/128", "192.168.0.0/16"));
        assertThat(ConfigType.LIST.parse("a,,b , ,c")).isEqualTo(List.of("a", "b", "c"));
        assertThat(ConfigType.LIST.parse(" , a")).isEqualTo(List.of("a"));
        assertThat(ConfigType.LIST.parse("a\tb")).isEqualTo(List.of("a", "b"));
        assertThat(ConfigType.LIST.parse("")).isEqualTo(List.of());
        assertThat(ConfigType.LIST.parse("   ")).isEqualTo(List.of());
    }

    @Test
    void integersAndStrings() {
        assertThat(ConfigType.INT.parse(" 42 ")).isEqualTo(42);
        assertThat(ConfigType.INT.parse("-1")).isEqualTo(-1);
        assertThatThrownBy(() -> ConfigType.INT.parse("4x")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> ConfigType.INT.parse("3000000000")).isInstanceOf(NumberFormatException.class);
        assertThat(ConfigType.STRING.parse(" kept as is ")).isEqualTo(" kept as is ");
    }

    /** Property: every size and duration written with a unit parses back to n times that unit. */
    @Test
    void unitsMultiplyForAnyCount() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            long n = random.nextInt(1 << 20);
            assertThat(ConfigType.SIZE.parse(n + "k")).isEqualTo(n << 10);
            assertThat(ConfigType.SIZE.parse(n + "m")).isEqualTo(n << 20);
            assertThat(ConfigType.SIZE.parse(Long.toString(n))).isEqualTo(n);
            assertThat(ConfigType.DURATION.parse(n + "h")).isEqualTo(Duration.ofHours(n));
            assertThat(ConfigType.DURATION.parse(Long.toString(n))).isEqualTo(Duration.ofSeconds(n));
        }
    }
}
