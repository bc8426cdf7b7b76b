package dev.kafkaconsumer.benchmarks.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class ShareGroupsTest {

    @Test
    void everyDrainGetsANewGroupWithPropertiesAShareConsumerAccepts() {
        Map<String, Object> first = ShareGroups.properties("localhost:1", "raw", 1);
        Map<String, Object> second = ShareGroups.properties("localhost:1", "raw", 1);

        assertThat(first).containsEntry("bootstrap.servers", "localhost:1").containsEntry("check.crcs", true)
                .doesNotContainKeys("auto.offset.reset", "enable.auto.commit", "group.protocol");
        assertThat(first.get("group.id")).isNotEqualTo(second.get("group.id")).asString().startsWith("b9-raw-1-");
        // a share consumer refuses consumer-group settings such as auto.offset.reset at construction
        assertThatNoException().isThrownBy(() -> new KafkaShareConsumer<>(first, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).close());
    }

    @Test
    void theDrainsKnowTheirContenders() {
        assertThat(ShareDrainBenchmark.drain("raw")).isInstanceOf(RawShareDrain.class);
        assertThat(((ShareContainerDrain) ShareDrainBenchmark.drain("container")).concurrency()).isEqualTo(1);
        assertThat(((ShareContainerDrain) ShareDrainBenchmark.drain("container-c6")).concurrency()).isEqualTo(6);
        assertThat(((SpringShareDrain) ShareDrainBenchmark.drain("spring")).concurrency()).isEqualTo(1);
    }
}
