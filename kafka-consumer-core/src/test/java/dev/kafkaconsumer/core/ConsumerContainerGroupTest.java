package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** Two containers in one group, under both group protocols. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerContainerGroupTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void twoContainersShareThePartitionsAndARevocationFinishesInFlightWorkSoNothingIsHandledTwice(String protocol,
            KafkaBroker kafka) throws Exception {
        String topic = Engines.unique("c-share");
        kafka.createTopic(topic, 4);
        String group = Engines.unique("c-share");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean handedOver = new AtomicBoolean();
        AtomicInteger revocations = new AtomicInteger();
        RecordProcessor.SyncRecordHandler<String, String> handler = record -> {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // simulated I/O
            if (!handled.add(record.value())) {
                duplicates.add(record.value());
            }
        };
        ConsumerRebalanceListener counting = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    revocations.incrementAndGet();
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        };
        java.util.concurrent.CompletableFuture<Integer> produced = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int count = 0;
            while (!handedOver.get() && count < 100_000) {
                Engines.produce(kafka, topic, 4, count, 400);
                count += 400;
            }
            return count;
        });
        try (ConsumerContainer<String, String> first = Containers.builder(kafka, "c-share-1", topic).groupId(group)
                .properties(Engines.groupProperties(kafka, group, protocol)).rebalanceListener(counting)
                .ordering(Ordering.KEY).concurrency(8).handler(handler).build();
                ConsumerContainer<String, String> second = Containers.builder(kafka, "c-share-2", topic).groupId(group)
                        .properties(Engines.groupProperties(kafka, group, protocol))
                        .ordering(Ordering.KEY).concurrency(8).handler(handler).build()) {
            first.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 1000);
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> revocations.get() > 0
                    && second.snapshot().partitions().size() == 2 && first.snapshot().partitions().size() == 2);
            handedOver.set(true);
            int total = produced.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() >= total);
        }
        assertThat(duplicates).isEmpty();
    }
}
