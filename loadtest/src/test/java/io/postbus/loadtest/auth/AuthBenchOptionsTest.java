package io.postbus.loadtest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runner's arguments: every run is bounded in count and time, and nothing unknown is ignored. */
class AuthBenchOptionsTest {

    @Test
    void readsEveryOption() {
        AuthBenchOptions o = AuthBenchOptions.parse("--mode", "Inbound", "--records", "20_000", "--warmup", "0",
                "--body-size", "102400", "--time-limit", "5m", "--bootstrap-servers", "127.0.0.1:9092",
                "--partitions", "12", "--workers", "2", "--public-suffix-list", "/tmp/psl.dat",
                "--result-file", "/tmp/r.tsv");
        assertThat(o).isEqualTo(new AuthBenchOptions(AuthScenario.Mode.INBOUND, 20_000, 0, 102_400,
                Duration.ofMinutes(5), Optional.of("127.0.0.1:9092"), 12, 2, Optional.of(Path.of("/tmp/psl.dat")),
                Optional.of(Path.of("/tmp/r.tsv"))));
    }

    @Test
    void defaultsAreBoundedAndUseTheEmbeddedBroker() {
        AuthBenchOptions o = AuthBenchOptions.parse("--mode", "originating");
        assertThat(o.records()).isEqualTo(10_000);
        assertThat(o.timeLimit()).isEqualTo(Duration.ofSeconds(300));
        assertThat(o.bootstrapServers()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--records=0", "--records=1000001", "--time-limit=0s", "--time-limit=2h", "--time-limit=5",
            "--body-size=-1", "--workers=0", "--partitions=0", "--mode=sideways", "--colour=blue", "--records=ten"})
    void refusesWhatIsOutOfRangeOrUnknown(String arg) {
        String[] nameValue = arg.split("=", 2);
        String[] args = nameValue[0].equals("--mode") ? nameValue : new String[] {"--mode", "inbound", nameValue[0], nameValue[1]};
        assertThatThrownBy(() -> AuthBenchOptions.parse(args)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesALoadThatWouldNotFitInMemory() {
        assertThatThrownBy(() -> AuthBenchOptions.parse("--mode", "inbound", "--records", "1000000", "--body-size", "1048576"))
                .hasMessageContaining("held in memory");
    }

    @Test
    void aModeIsRequiredAndEveryOptionNeedsAValue() {
        assertThatThrownBy(() -> AuthBenchOptions.parse("--records", "5")).hasMessageContaining("--mode is required");
        assertThatThrownBy(() -> AuthBenchOptions.parse("--mode")).hasMessageContaining("needs a value");
    }
}
