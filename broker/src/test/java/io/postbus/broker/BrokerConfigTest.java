package io.postbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

/** Configuration mistakes fail at construction, before a directory is formatted. */
class BrokerConfigTest {
    private static final Path DIR = Path.of("target", "never-created");

    @Test
    void defaultsToLoopbackAndAFreePort() {
        BrokerConfig config = BrokerConfig.builder(DIR).build();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.dataDir()).isAbsolute();
    }

    @Test
    void rejectsUnknownBrokerProperty() {
        assertThatThrownBy(() -> BrokerConfig.builder(DIR).property("message.max.byte", "1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown Kafka broker property: message.max.byte");
    }

    @Test
    void rejectsOverridingTheListenersItManages() {
        assertThatThrownBy(() -> BrokerConfig.builder(DIR).property("listeners", "PLAINTEXT://:9092").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
    }

    @Test
    void acceptsKnownAndPerListenerOverrides() {
        BrokerConfig config = BrokerConfig.builder(DIR)
                .property("num.partitions", "3")
                .property("listener.name.plaintext.connections.max.reauth.ms", "0")
                .build();
        assertThat(config.overrides()).containsEntry("num.partitions", "3");
    }

    @Test
    void wildcardBindNeedsAnAdvertisedHost() {
        assertThatThrownBy(() -> BrokerConfig.builder(DIR).host("0.0.0.0").port(9092).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advertisedHost");
        assertThat(BrokerConfig.builder(DIR).host("0.0.0.0").advertisedHost("mx.example").build().advertisedHost())
                .isEqualTo("mx.example");
    }

    @Test
    void rejectsBadPortAndTimeout() {
        assertThatThrownBy(() -> BrokerConfig.builder(DIR).port(65536).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerConfig.builder(DIR).startupTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void singleNodeDefaultsAreAllKafkaProperties() {
        assertThat(KafkaConfig.configDef().names()).containsAll(SingleNodeDefaults.properties().keySet());
    }

    @Test
    void derivedPropertiesFormAValidKafkaConfig() {
        BrokerConfig config = BrokerConfig.builder(DIR).property("num.partitions", "3").build();
        KafkaConfig kafka = new KafkaConfig(BrokerProperties.of(config, 19092, 19093), false);
        assertThat(kafka.nodeId()).isEqualTo(1);
        assertThat(kafka.messageMaxBytes()).isEqualTo(SingleNodeDefaults.MESSAGE_MAX_BYTES);
        assertThat(kafka.autoCreateTopicsEnable()).isFalse();
    }
}
