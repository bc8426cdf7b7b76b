package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * aiokafka's group-less subscription: without a group id, subscribing to topics or a pattern assigns the
 * engine every partition of them, as the metadata shows them now and later; nothing is committed.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineWithoutGroupTest {

    /** Notes each callback as "assigned [..]" or "revoked [..]". */
    private static final class Recorder implements ConsumerRebalanceListener {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            calls.add("revoked " + partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            calls.add("assigned " + partitions.stream().map(TopicPartition::toString).sorted().toList());
        }
    }

    private static List<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    @Test
    void subscribingWithoutAGroupAssignsEveryPartitionOfTheTopicsAndCommitsNothing(KafkaBroker kafka) {
        String first = Engines.topicWithRecords(kafka, "nogroup-a", 3, 30);
        String second = Engines.topicWithRecords(kafka, "nogroup-b", 2, 20);
        Recorder listener = new Recorder();
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.subscribe(List.of(first, second), listener);
            engine.start();

            List<TopicPartition> all = new ArrayList<>(partitions(first, 3));
            all.addAll(partitions(second, 2));
            assertThat(engine.assignment()).as("assigned when start() returns").containsExactlyInAnyOrderElementsOf(all);
            assertThat(listener.calls).hasSize(1).first().asString().startsWith("assigned");
            assertThat(Engines.take(engine, 50)).hasSize(50);
            assertThat(engine.subscription()).containsExactlyInAnyOrder(first, second);

            TopicPartition tp = new TopicPartition(first, 0);
            assertThatThrownBy(engine::commit).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(() -> engine.commit(Map.of(tp, new OffsetAndMetadata(1)))).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(() -> engine.committed(tp)).isInstanceOf(InvalidGroupIdException.class);
        }
    }

    @Test
    void autoOffsetResetDecidesWhereEachPartitionStarts(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "nogroup-latest", 2, 10);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).property("auto.offset.reset", "latest").build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            partitions(topic, 2).forEach(tp -> assertThat(engine.position(tp)).isEqualTo(5));

            Engines.produce(kafka, topic, 2, 10, 4);

            assertThat(Engines.take(engine, 4)).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("v10", "v11", "v12", "v13");
        }
    }

    @Test
    void aPatternWithoutAGroupPicksUpATopicCreatedLaterAndTheListenerHearsOfIt(KafkaBroker kafka) throws Exception {
        String prefix = Engines.unique("nogroup-pattern");
        String before = prefix + "-a";
        kafka.createTopic(before, 1);
        Recorder listener = new Recorder();
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).property("metadata.max.age.ms", 300).build()) {
            engine.subscribe(Pattern.compile(Pattern.quote(prefix) + "-.*"), listener);
            engine.start();
            assertThat(engine.assignment()).containsExactly(new TopicPartition(before, 0));
            CompletableFuture<Optional<ConsumerRecord<String, String>>> waiting =
                    CompletableFuture.supplyAsync(() -> engine.getOne(Duration.ofSeconds(60)));

            String later = prefix + "-b";
            kafka.createTopic(later, 2);
            Engines.produce(kafka, later, 2, 0, 1);

            Optional<ConsumerRecord<String, String>> record = waiting.get(60, TimeUnit.SECONDS);
            assertThat(record).isPresent();
            assertThat(record.get().topic()).isEqualTo(later);
            assertThat(engine.assignment()).containsExactlyInAnyOrder(new TopicPartition(before, 0),
                    new TopicPartition(later, 0), new TopicPartition(later, 1));
            assertThat(engine.subscription()).containsExactlyInAnyOrder(before, later);
            assertThat(listener.calls).containsExactly("assigned [" + before + "-0]",
                    "assigned [" + later + "-0, " + later + "-1]");
        }
    }

    @Test
    void aPatternWithoutAGroupLeavesKafkasInternalTopicsOutUnlessAskedFor(KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "nogroup-internal", 1, 1);
        try (Admin admin = kafka.admin()) {
            // the broker makes __consumer_offsets when a group's coordinator is first looked up: this test may run first
            admin.listConsumerGroupOffsets(Engines.unique("offsets-topic")).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
        Pattern pattern = Pattern.compile("__consumer_offsets|" + Pattern.quote(topic));
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.subscribe(pattern, null);
            engine.start();
            assertThat(engine.assignment()).containsExactly(new TopicPartition(topic, 0));
        }
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).property("exclude.internal.topics", false).build()) {
            engine.subscribe(pattern, null);
            engine.start();
            assertThat(engine.subscription()).containsExactlyInAnyOrder("__consumer_offsets", topic);
        }
    }

    @Test
    void partitionsAddedToASubscribedTopicArePickedUp(KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "nogroup-grow", 1, 3);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).property("metadata.max.age.ms", 300).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            assertThat(Engines.take(engine, 3)).hasSize(3);

            try (var admin = kafka.admin()) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.assignment().size() == 3);
            Engines.produce(kafka, topic, 3, 3, 3);

            assertThat(Engines.take(engine, 3)).extracting(ConsumerRecord::partition).containsExactlyInAnyOrder(0, 1, 2);
        }
    }

    @Test
    void unsubscribingWithoutAGroupRevokesEveryPartition(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "nogroup-unsubscribe", 2, 2);
        Recorder listener = new Recorder();
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.subscribe(List.of(topic), listener);
            engine.start();

            engine.unsubscribe();

            assertThat(engine.assignment()).isEmpty();
            assertThat(listener.calls).hasSize(2).last().asString().startsWith("revoked").contains(topic + "-0", topic + "-1");
        }
    }
}
