package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ShareConsumerEngineTest {

    @Test
    void recordsTakenAndAcceptedAreNotDeliveredAgain(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "share-accept", 1, 10);
        String group = ShareEngines.shareGroup(kafka, "share-accept");
        try (ShareConsumerEngine<String, String> engine = ShareEngines.builder(kafka, group).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            List<AcquiredRecord<String, String>> taken = ShareEngines.take(engine, 10);
            assertThat(taken).extracting(AcquiredRecord::deliveryCount).containsOnly(1);
            assertThat(taken).extracting(AcquiredRecord::offset).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            CompletableFuture.allOf(taken.stream().map(AcquiredRecord::accept).toArray(CompletableFuture[]::new)).join();
            assertThat(engine.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 10L);
            assertThat(engine.snapshot().acquired()).isZero();
        }
        Engines.produce(kafka, topic, 1, 10, 1);
        try (ShareConsumerEngine<String, String> engine = ShareEngines.builder(kafka, group).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            List<AcquiredRecord<String, String>> taken = ShareEngines.takeUntil(engine, "v10");
            assertThat(taken).extracting(record -> record.record().value()).containsExactly("v10");
        }
    }
}
