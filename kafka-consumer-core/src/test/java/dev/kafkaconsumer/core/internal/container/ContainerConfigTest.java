package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.internal.EngineConfig;

/** The in-flight bound a container's configuration derives when none is given: its range, and its bound of bytes. */
class ContainerConfigTest {

    private static ContainerConfig.Builder<String, String> config() {
        return ContainerConfig.builder("orders", new StringDeserializer(), new StringDeserializer())
                .property("group.id", "g").topics(List.of("t")).recordProcessor(RecordProcessor.of(record -> { }));
    }

    @Test
    void theDefaultBoundMovesBetweenFourAndSixteenPollsOfRecordsWithinTheEnginesBufferOfBytes() {
        ContainerConfig<String, String> defaults = config().build();

        assertThat(defaults.maxInFlight()).as("16 x max.poll.records, 500 by default").isEqualTo(8000);
        assertThat(defaults.minInFlight()).as("4 x max.poll.records, for slow handling").isEqualTo(2000);
        assertThat(defaults.maxInFlightBytes()).isEqualTo(EngineConfig.DEFAULT_MAX_BUFFERED_BYTES);
        assertThat(config().maxBufferedBytes(1024 * 1024).build().maxInFlightBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void theDefaultBoundFollowsMaxPollRecordsUpToItsCapAndNeverHoldsFewerThanFourRecordsAWorker() {
        assertThat(config().property("max.poll.records", 100).build().maxInFlight()).isEqualTo(1600);
        assertThat(config().property("max.poll.records", "5000").build().maxInFlight())
                .isEqualTo(ContainerConfig.MAX_DEFAULT_IN_FLIGHT);
        assertThat(config().concurrency(3000).build().maxInFlight()).isEqualTo(12_000);
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> config().property("max.poll.records", 0).build())
                .withMessageContaining("max.poll.records");
    }

    @Test
    void aBoundTheApplicationSetsIsOneOfRecordsOnly() {
        ContainerConfig<String, String> set = config().maxInFlight(500).build();

        assertThat(set.maxInFlight()).isEqualTo(500);
        assertThat(set.minInFlight()).as("it does not move").isEqualTo(500);
        assertThat(set.maxInFlightBytes()).as("no bound of bytes").isZero();
    }
}
