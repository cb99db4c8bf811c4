package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

class KafkaBackendTest {
    private static final BooleanSupplier NOT_ASKED = () -> {
        throw new AssertionError("Docker must not be probed when the property decides");
    };

    @Test
    void propertyDecidesWithoutProbingDocker() {
        assertThat(KafkaBackend.choose("inproc", NOT_ASKED)).isEqualTo(KafkaBackend.INPROC);
        assertThat(KafkaBackend.choose(" Docker ", NOT_ASKED)).isEqualTo(KafkaBackend.DOCKER);
    }

    @Test
    void withoutPropertyDockerIsUsedWhenAvailable() {
        assertThat(KafkaBackend.choose(null, () -> true)).isEqualTo(KafkaBackend.DOCKER);
        assertThat(KafkaBackend.choose("", () -> false)).isEqualTo(KafkaBackend.INPROC);
    }

    @Test
    void unknownValueIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> KafkaBackend.choose("podman", NOT_ASKED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("postbus.test.broker=podman is not one of inproc, docker");
    }

    @Test
    void dockerProbeAnswersQuickly() {
        long began = System.nanoTime();
        boolean available = DockerProbe.available();
        long millis = (System.nanoTime() - began) / 1_000_000;
        if (!DockerProbe.anySignOfDocker()) {
            // No socket, no DOCKER_HOST: Testcontainers is not even asked, so this is instant.
            assertThat(available).isFalse();
            assertThat(millis).isLessThan(500);
        } else {
            assertThat(millis).isLessThan(25_000);
        }
    }

    @Test
    void containerGetsTheSameBrokerSettingsAsInProcess() {
        assertThat(ContainerKafka.environment())
                .containsEntry("KAFKA_MESSAGE_MAX_BYTES", "67108864")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        assertThat(ContainerKafka.defaultImage()).matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
    }
}
