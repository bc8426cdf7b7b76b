package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

    private static EngineConfig config(Map<String, Object> properties) {
        return new EngineConfig(properties, new StringDeserializer(), new StringDeserializer(),
                EngineConfig.DEFAULT_MAX_BUFFERED_BYTES_PER_PARTITION, EngineConfig.DEFAULT_MAX_BUFFERED_BYTES);
    }

    @Test
    void theEngineCommitsSoKafkaClientsNeverDoes() {
        EngineConfig config = config(Map.of("bootstrap.servers", "h:1", "group.id", "g"));
        assertThat(config.autoCommit()).isTrue();
        assertThat(config.consumerProperties()).containsEntry("enable.auto.commit", false);
        assertThat(config.autoCommitInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withoutAGroupNothingIsAutoCommitted() {
        assertThat(config(Map.of("bootstrap.servers", "h:1")).autoCommit()).isFalse();
        assertThat(config(Map.of("bootstrap.servers", "h:1", "group.id", "g", "enable.auto.commit", "false")).autoCommit())
                .isFalse();
    }

    @Test
    void defaultsFollowKafkaClients() {
        EngineConfig config = config(Map.of("bootstrap.servers", "h:1"));
        assertThat(config.maxPollRecords()).isEqualTo(500);
        assertThat(config.maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.isolationLevel()).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
        assertThat(config.defaultApiTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void valuesAsStringsAreParsedAsKafkaDoes() {
        EngineConfig config = config(Map.of("bootstrap.servers", "h:1", "max.poll.records", "7",
                "isolation.level", "read_committed", "auto.commit.interval.ms", "250"));
        assertThat(config.maxPollRecords()).isEqualTo(7);
        assertThat(config.consumerProperties()).as("the I/O thread polls for more than getMany hands out")
                .containsEntry("max.poll.records", EngineConfig.MIN_RECORDS_PER_IO_POLL);
        assertThat(config.isolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
        assertThat(config.autoCommitInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aClientIdIsGeneratedFromTheGroupWhenNoneIsGiven() {
        assertThat(config(Map.of("bootstrap.servers", "h:1", "group.id", "orders")).clientId()).startsWith("kafka-consumer-orders-");
        assertThat(config(Map.of("bootstrap.servers", "h:1", "client.id", "mine")).clientId()).isEqualTo("mine");
    }

    @Test
    void badValuesFailWithThePropertyName() {
        assertThatThrownBy(() -> config(Map.of("group.id", "g"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> config(Map.of("bootstrap.servers", "h:1", "auto.commit.interval.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auto.commit.interval.ms");
    }
}
