package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.RecordProcessor;

/** What a share container's configuration derives: its share consumers, their client ids, and its in-flight bound. */
class ShareContainerConfigTest {

    private static ShareContainerConfig.Builder<String, String> config() {
        return ShareContainerConfig.builder("jobs", new StringDeserializer(), new StringDeserializer())
                .property("group.id", "g").topics(List.of("t")).recordProcessor(RecordProcessor.of(record -> { }));
    }

    @Test
    void aContainerHasOneShareConsumerUnlessToldOtherwise() {
        assertThat(config().build().consumers()).isEqualTo(ShareContainerConfig.DEFAULT_CONSUMERS).isEqualTo(1);
        assertThat(config().concurrency(100).build().consumers()).isEqualTo(1);
        assertThat(config().concurrency(6).consumers(2).build().consumers()).isEqualTo(2);
        assertThat(config().concurrency(6).consumers(6).build().consumers()).isEqualTo(6);
    }

    @Test
    void eachOfSeveralConsumersHasItsNumberAfterTheClientId() {
        ShareContainerConfig<String, String> named = config().property("client.id", "app").concurrency(2).consumers(2).build();
        ShareContainerConfig<String, String> unnamed = config().concurrency(2).consumers(2).build();

        assertThat(named.engineProperties(1)).containsEntry("client.id", "app-1").containsEntry("group.id", "g");
        assertThat(named.engineProperties(2)).containsEntry("client.id", "app-2");
        assertThat(unnamed.engineProperties(2)).as("the container's name by default").containsEntry("client.id", "jobs-2");
        assertThat(unnamed.engineProperties()).containsEntry("client.id", "jobs");
    }

    @Test
    void aShareContainerHasFourPollsOfRecordsInFlightByDefault() {
        assertThat(config().build().maxInFlight()).isEqualTo(2000);
        assertThat(config().property("max.poll.records", 100).build().maxInFlight()).isEqualTo(400);
    }
}
