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
    void bufferBoundsMustBePositive() {
        Map<String, Object> properties = Map.of("bootstrap.servers", "h:1");
        assertThat(new EngineConfig(properties, new StringDeserializer(), new StringDeserializer(), 1, 1).maxBufferedBytes()).isEqualTo(1);
        assertThatThrownBy(() -> new EngineConfig(properties, new StringDeserializer(), new StringDeserializer(), 0, 1))
                .isInstanceOf(ConfigException.class).hasMessage("Buffer bounds must be positive, were 0 per partition and 1 in total");
        assertThatThrownBy(() -> new EngineConfig(properties, new StringDeserializer(), new StringDeserializer(), 1, 0))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void thePropertiesOfTheLoopFollowKafkaClientsWithFloorsThatKeepItFromSpinning() {
        EngineConfig defaults = config(Map.of("bootstrap.servers", "h:1"));
        assertThat(defaults.excludeInternalTopics()).isTrue();
        assertThat(defaults.metadataMaxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.retryBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(defaults.retryBackoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.groupId()).isNull();
        EngineConfig zeros = config(Map.of("bootstrap.servers", "h:1", "exclude.internal.topics", false, "metadata.max.age.ms", 0,
                "retry.backoff.ms", 0, "retry.backoff.max.ms", 0));
        assertThat(zeros.excludeInternalTopics()).isFalse();
        assertThat(zeros.metadataMaxAge()).isEqualTo(Duration.ofMillis(1));
        assertThat(zeros.retryBackoff()).isEqualTo(Duration.ofMillis(1));
        assertThat(zeros.retryBackoffMax()).as("never below retry.backoff.ms").isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void badValuesFailWithThePropertyName() {
        assertThatThrownBy(() -> config(Map.of("group.id", "g"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> config(Map.of("bootstrap.servers", "h:1", "auto.commit.interval.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auto.commit.interval.ms");
    }
}
