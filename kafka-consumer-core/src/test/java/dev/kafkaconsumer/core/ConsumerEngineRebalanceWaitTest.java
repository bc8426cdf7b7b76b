package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * aiokafka's rule for get calls and rebalances: a get that waits when a rebalance begins keeps waiting
 * while it runs, then goes on waiting, within its timeout, for records of the new assignment; empty means
 * only that nothing came in time.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineRebalanceWaitTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aGetWaitingOnAPatternSubscriptionReturnsTheRecordOfATopicCreatedWhileItWaits(String protocol, KafkaBroker kafka)
            throws Exception {
        String prefix = Engines.unique("wait-pattern");
        String before = prefix + "-a";
        kafka.createTopic(before, 1);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("wait-pattern"), protocol)
                .property("metadata.max.age.ms", 500).build()) {
            engine.subscribe(Pattern.compile(Pattern.quote(prefix) + "-.*"), null);
            engine.start();
            await().until(() -> engine.assignment().contains(new TopicPartition(before, 0)));
            CompletableFuture<Optional<ConsumerRecord<String, String>>> waiting =
                    CompletableFuture.supplyAsync(() -> engine.getOne(Duration.ofSeconds(60)));

            String later = prefix + "-b";
            kafka.createTopic(later, 1);
            Engines.produce(kafka, later, 1, 0, 1);

            // the rebalance that the new topic causes begins and ends while the get waits
            Optional<ConsumerRecord<String, String>> record = waiting.get(60, TimeUnit.SECONDS);
            assertThat(record).as("a rebalance does not end the wait").isPresent();
            assertThat(record.get().topic()).isEqualTo(later);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aGetWaitingWhenAnotherMemberJoinsReturnsARecordOfItsNewAssignment(String protocol, KafkaBroker kafka)
            throws Exception {
        String topic = Engines.unique("wait-join");
        kafka.createTopic(topic, 4);
        String group = Engines.unique("wait-join");
        try (ConsumerEngine<String, String> first = Engines.builder(kafka, group, protocol).build();
                ConsumerEngine<String, String> second = Engines.builder(kafka, group, protocol).build()) {
            first.subscribe(List.of(topic));
            first.start();
            await().until(() -> first.assignment().size() == 4);
            CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting =
                    CompletableFuture.supplyAsync(() -> first.getMany(Duration.ofSeconds(60)));

            second.subscribe(List.of(topic));
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.assignment().size() == 2 && second.assignment().size() == 2);
            assertThat(waiting).as("still waiting after the rebalance").isNotDone();
            Engines.produce(kafka, topic, 4, 0, 4);

            Map<TopicPartition, List<ConsumerRecord<String, String>>> records = waiting.get(60, TimeUnit.SECONDS);
            assertThat(records).isNotEmpty();
            assertThat(first.assignment()).containsAll(records.keySet());
        }
    }
}
