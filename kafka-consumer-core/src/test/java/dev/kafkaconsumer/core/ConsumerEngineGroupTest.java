package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** Group membership, commits and rebalances, under both group protocols. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineGroupTest {

    /** Counts rebalance callbacks and runs an optional action in them. */
    private static final class Recorder implements ConsumerRebalanceListener {
        final AtomicInteger revocations = new AtomicInteger();
        final AtomicInteger assignments = new AtomicInteger();
        volatile java.util.function.Consumer<Collection<TopicPartition>> onRevoke = partitions -> { };
        volatile java.util.function.Consumer<Collection<TopicPartition>> onAssign = partitions -> { };

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revocations.incrementAndGet();
            }
            onRevoke.accept(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignments.incrementAndGet();
            onAssign.accept(partitions);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aNewEngineInTheGroupResumesFromTheManuallyCommittedPosition(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "resume", 1, 100);
        String group = Engines.unique("resume");
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> first = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).build()) {
            first.subscribe(List.of(topic));
            first.start();
            assertThat(Engines.take(first, 60)).extracting(ConsumerRecord::offset).last().isEqualTo(59L);
            assertThat(first.committed(tp)).isNull();
            first.commit();
            assertThat(first.committed(tp).offset()).isEqualTo(60);
        }
        try (ConsumerEngine<String, String> second = Engines.builder(kafka, group, protocol).build()) {
            second.subscribe(List.of(topic));
            second.start();
            // the first join may assign nothing yet under the consumer protocol: the assignment is incremental
            await().until(() -> second.assignment().contains(tp));
            assertThat(second.position(tp)).isEqualTo(60);
            assertThat(Engines.take(second, 40)).extracting(ConsumerRecord::offset).first().isEqualTo(60L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void committingInsideOnPartitionsRevokedMeansASecondMemberNeverGetsARecordTheFirstGot(String protocol, KafkaBroker kafka)
            throws Exception {
        String topic = Engines.unique("handover");
        kafka.createTopic(topic, 4);
        String group = Engines.unique("handover");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean consuming = new AtomicBoolean(true);
        AtomicBoolean handedOver = new AtomicBoolean();
        try (ConsumerEngine<String, String> first = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).property("max.poll.records", 50).build();
                ConsumerEngine<String, String> second = Engines.builder(kafka, group, protocol)
                        .property("enable.auto.commit", false).property("max.poll.records", 50).build()) {
            Recorder firstListener = new Recorder();
            firstListener.onRevoke = partitions -> first.commit();
            first.subscribe(List.of(topic), firstListener);
            first.start();
            // records keep coming until the second member has taken partitions over, so the hand-over
            // happens while the first member is consuming
            CompletableFuture<Integer> produced = CompletableFuture.supplyAsync(() -> {
                int count = 0;
                while (!handedOver.get() && count < 200_000) {
                    Engines.produce(kafka, topic, 4, count, 400);
                    count += 400;
                }
                return count;
            });
            CompletableFuture<Void> firstLoop = consumeUntilStopped(first, consuming, seen, duplicates);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 1000);

            Recorder secondListener = new Recorder();
            secondListener.onRevoke = partitions -> second.commit();
            second.subscribe(List.of(topic), secondListener);
            second.start();
            CompletableFuture<Void> secondLoop = consumeUntilStopped(second, consuming, seen, duplicates);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> firstListener.revocations.get() > 0 && second.assignment().size() == 2);
            handedOver.set(true);
            int total = produced.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= total);
            consuming.set(false);
            firstLoop.get(10, TimeUnit.SECONDS);
            secondLoop.get(10, TimeUnit.SECONDS);
            assertThat(duplicates).isEmpty();
            assertThat(seen).hasSize(total);
        }
    }

    private static CompletableFuture<Void> consumeUntilStopped(ConsumerEngine<String, String> engine, AtomicBoolean running,
            Set<String> seen, List<String> duplicates) {
        return CompletableFuture.runAsync(() -> {
            while (running.get()) {
                for (List<ConsumerRecord<String, String>> records : engine.getMany(Duration.ofMillis(100)).values()) {
                    for (ConsumerRecord<String, String> record : records) {
                        if (!seen.add(record.value())) {
                            duplicates.add(record.value());
                        }
                    }
                }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void autoCommitCommitsReturnedPositionsByTimeWhileTheApplicationCallsNothing(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "autocommit", 1, 100);
        String group = Engines.unique("autocommit");
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, group, protocol)
                .property("auto.commit.interval.ms", 300).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            Engines.take(engine, 30);
            // all 100 records are buffered by now, yet only the 30 returned may be committed
            await().until(() -> engine.highwater(tp).isPresent());
            // every 300 ms; the bound only catches an engine that never commits by itself
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.committed(tp) != null && engine.committed(tp).offset() == 30);
            await().during(Duration.ofSeconds(1)).until(() -> engine.committed(tp).offset() == 30);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void asynchronousCommitsCompleteOnTheCallbackThread(String protocol, KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "commitasync", 1, 20);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("commitasync"), protocol)
                .property("enable.auto.commit", false).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            Engines.take(engine, 5);
            AtomicReference<String> completedOn = new AtomicReference<>();
            engine.commitAsync().thenRun(() -> completedOn.set(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
            assertThat(completedOn.get()).startsWith("kafka-consumer-callbacks-");
            assertThat(engine.committed(tp).offset()).isEqualTo(5);
            engine.commitAsync(Map.of(tp, new OffsetAndMetadata(2, "rewound"))).get(10, TimeUnit.SECONDS);
            assertThat(engine.committed(tp)).isEqualTo(new OffsetAndMetadata(2, "rewound"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void stopCommitsTheConsumedPositions(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "stopcommit", 1, 100);
        String group = Engines.unique("stopcommit");
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, group, protocol)
                .property("auto.commit.interval.ms", 600_000).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            Engines.take(engine, 42);
        }
        try (ConsumerEngine<String, String> reader = Engines.builder(kafka, group, protocol).build()) {
            reader.assign(List.of(tp));
            reader.start();
            assertThat(reader.committed(tp).offset()).isEqualTo(42);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aMemberWhoseApplicationPausesLongerThanTheSessionTimeoutKeepsItsPartitions(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "pausing", 2, 100);
        Recorder listener = new Recorder();
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("pausing"), protocol).build()) {
            engine.subscribe(List.of(topic), listener);
            engine.start();
            Engines.take(engine, 10);
            // under the consumer protocol assignments are incremental: wait until both partitions are here
            await().until(() -> engine.assignment().size() == 2);
            Set<TopicPartition> assigned = engine.assignment();
            int assignmentsBefore = listener.assignments.get();
            // the application calls nothing for twice the session timeout; the engine keeps the membership
            await().during(Engines.SESSION_TIMEOUT.multipliedBy(2)).atMost(Engines.SESSION_TIMEOUT.multipliedBy(3))
                    .until(() -> engine.assignment().equals(assigned) && listener.revocations.get() == 0);
            assertThat(Engines.take(engine, 90)).hasSize(90);
            assertThat(listener.revocations).hasValue(0);
            assertThat(listener.assignments).as("no rebalance happened").hasValue(assignmentsBefore);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aMemberJoiningWhileAnotherMembersApplicationIsBusyGetsItsPartitionsWithinSeconds(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "busy", 4, 400);
        String group = Engines.unique("busy");
        try (ConsumerEngine<String, String> busy = Engines.builder(kafka, group, protocol).build();
                ConsumerEngine<String, String> newcomer = Engines.builder(kafka, group, protocol).build()) {
            busy.subscribe(List.of(topic));
            busy.start();
            Engines.take(busy, 10);
            await().until(() -> busy.assignment().size() == 4);
            // from here on the busy member's application calls nothing
            long joinStarted = System.nanoTime();
            newcomer.subscribe(List.of(topic));
            newcomer.start();
            // a member whose application calls nothing would hold the join for max.poll.interval.ms (5 min) if the engine
            // did not keep it taking part; 30 s catches that on a loaded machine (idle, the join takes 1-3 s)
            await().atMost(Duration.ofSeconds(30)).until(() -> newcomer.assignment().size() == 2 && busy.assignment().size() == 2);
            long joinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinStarted);
            LoggerFactory.getLogger(ConsumerEngineGroupTest.class).info(
                    "[{}] the newcomer got its partitions {} ms after it started joining", protocol, joinMillis);
            Set<TopicPartition> union = new HashSet<>(busy.assignment());
            union.addAll(newcomer.assignment());
            assertThat(union).hasSize(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aPatternSubscriptionPicksUpATopicCreatedLater(String protocol, KafkaBroker kafka) {
        String prefix = Engines.unique("pattern");
        String before = prefix + "-a";
        kafka.createTopic(before, 1);
        Engines.produce(kafka, before, 1, 0, 5);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("pattern"), protocol)
                .property("metadata.max.age.ms", 500).build()) {
            engine.subscribe(Pattern.compile(Pattern.quote(prefix) + "-.*"), null);
            engine.start();
            assertThat(Engines.take(engine, 5)).allSatisfy(r -> assertThat(r.topic()).isEqualTo(before));
            String later = prefix + "-b";
            kafka.createTopic(later, 1);
            Engines.produce(kafka, later, 1, 0, 7);
            assertThat(Engines.take(engine, 7)).allSatisfy(r -> assertThat(r.topic()).isEqualTo(later));
            assertThat(engine.subscription()).containsExactlyInAnyOrder(before, later);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void withAutoOffsetResetLatestOnlyRecordsWrittenAfterTheStartPointAreReturned(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "latest", 1, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("latest"), protocol)
                .property("auto.offset.reset", "latest").build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            await().until(() -> engine.assignment().contains(tp));
            // position waits for the start point: the end of the partition, as nothing is committed
            assertThat(engine.position(tp)).isEqualTo(10);
            Engines.produce(kafka, topic, 1, 10, 5);
            assertThat(Engines.take(engine, 5)).extracting(ConsumerRecord::value).containsExactly("v10", "v11", "v12", "v13", "v14");
            assertThat(engine.getMany(Duration.ofMillis(300))).as("nothing written before the start").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void partitionsAddedToASubscribedTopicAreAssignedAndConsumed(String protocol, KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "grow", 1, 5);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("grow"), protocol)
                .property("metadata.max.age.ms", 500).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            assertThat(Engines.take(engine, 5)).extracting(ConsumerRecord::partition).containsOnly(0);

            try (Admin admin = kafka.admin()) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                engine.getMany(Duration.ofMillis(50));
                return engine.assignment().size() == 3;
            });
            Engines.produce(kafka, topic, 3, 5, 9);
            List<ConsumerRecord<String, String>> after = Engines.take(engine, 9);
            assertThat(after).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
            assertThat(after).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(
                    "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRebalanceListenerMayCallBackIntoTheEngine(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "callback", 1, 20);
        String group = Engines.unique("callback");
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, Object> seenInCallback = new ConcurrentHashMap<>();
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, group, protocol).build()) {
            Recorder listener = new Recorder();
            listener.onAssign = partitions -> {
                if (partitions.contains(tp)) {
                    seenInCallback.put("position", engine.position(tp));
                    seenInCallback.put("committed", String.valueOf(engine.committed(tp)));
                    engine.seekToEnd(tp);
                    seenInCallback.put("end", engine.position(tp));
                    engine.seek(tp, 5);
                }
            };
            listener.onRevoke = partitions -> {
                if (partitions.contains(tp)) {
                    engine.commit(Map.of(tp, new OffsetAndMetadata(engine.position(tp))));
                    seenInCallback.put("committedOnRevoke", engine.committed(tp).offset());
                }
            };
            engine.subscribe(List.of(topic), listener);
            engine.start();
            assertThat(Engines.take(engine, 3)).extracting(ConsumerRecord::offset).containsExactly(5L, 6L, 7L);
            engine.unsubscribe();
            assertThat(engine.assignment()).isEmpty();
        }
        assertThat(seenInCallback).containsEntry("position", 0L).containsEntry("committed", "null")
                .containsEntry("end", 20L).containsEntry("committedOnRevoke", 8L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void anApplicationThatStopsAskingForRecordsLeavesTheGroupAndRejoinsWhenItAsksAgain(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "idle", 2, 50);
        Recorder listener = new Recorder();
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("idle"), protocol)
                .property("max.poll.interval.ms", 2000).build()) {
            engine.subscribe(List.of(topic), listener);
            engine.start();
            Engines.take(engine, 10);
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.assignment().isEmpty());
            assertThat(listener.revocations).hasValue(1);
            assertThat(Engines.take(engine, 40)).hasSize(40);
            assertThat(engine.assignment()).hasSize(2);
            assertThat(listener.assignments.get()).isGreaterThanOrEqualTo(2);
        }
    }
}
