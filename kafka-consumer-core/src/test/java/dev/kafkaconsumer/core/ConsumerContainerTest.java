package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** Handling, ordering, commits and lifecycle of a container on the in-process broker. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerContainerTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void everyRecordIsHandledOnceAndTheDoneOffsetsAreCommitted(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-all", 3, 3000);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        String group;
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-all", topic, protocol).concurrency(3)
                .handler(record -> {
                    if (!handled.add(record.value())) {
                        duplicates.add(record.value());
                    }
                }).build()) {
            container.start();
            await().until(() -> container.state() == ContainerState.RUNNING);
            group = container.snapshot().groupId();
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 3000);
            await().until(() -> container.snapshot().partitions().stream()
                    .allMatch(p -> p.committed().orElse(-1) == 1000 && p.lag().orElse(-1) == 0 && p.inFlight() == 0));
        }
        assertThat(duplicates).isEmpty();
        assertThat(Containers.committed(kafka, group)).containsOnly(
                Map.entry(new TopicPartition(topic, 0), 1000L), Map.entry(new TopicPartition(topic, 1), 1000L),
                Map.entry(new TopicPartition(topic, 2), 1000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void keyOrderingKeepsEachKeysOrderWithMoreConcurrencyThanPartitions(String protocol, KafkaBroker kafka) {
        String topic = Engines.unique("c-keys");
        kafka.createTopic(topic, 2);
        int records = 10_000;
        int keys = 100;
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, records)
                .mapToObj(i -> new ProducerRecord<>(topic, "key-" + (i % keys), String.valueOf(i))).toList());
        Map<String, List<Integer>> seenByKey = new ConcurrentHashMap<>();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-keys", topic, protocol)
                .ordering(Ordering.KEY).concurrency(16)
                .handler(record -> {
                    mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                    seenByKey.computeIfAbsent(record.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(Integer.parseInt(record.value()));
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // simulated I/O
                    active.decrementAndGet();
                    handled.incrementAndGet();
                }).build()) {
            container.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.get() == records);
        }
        assertThat(seenByKey).hasSize(keys);
        seenByKey.forEach((key, values) -> assertThat(values).as(key).isSorted().hasSize(records / keys));
        assertThat(mostActive.get()).as("records in parallel beyond the 2 partitions").isGreaterThan(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void unorderedHandlingNeverCommitsPastARecordStillInFlight(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-unordered", 1, 20);
        TopicPartition tp = new TopicPartition(topic, 0);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-unordered", topic, protocol)
                .ordering(Ordering.UNORDERED).concurrency(8)
                .handler(record -> {
                    if (record.offset() == 5) {
                        release.await();
                    }
                    handled.incrementAndGet();
                }).build()) {
            container.start();
            String group = container.snapshot().groupId();
            await().until(() -> handled.get() == 19);
            await().until(() -> Containers.committed(kafka, group).getOrDefault(tp, -1L) == 5);
            await().during(Duration.ofMillis(600)).until(() -> Containers.committed(kafka, group).get(tp) == 5);
            assertThat(container.snapshot().partitions().get(0).inFlight()).isEqualTo(1);
            release.countDown();
            await().until(() -> Containers.committed(kafka, group).get(tp) == 20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void batchHandlersGetOnePartitionsRecordsInOrder(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-batch", 2, 400);
        Map<Integer, List<Long>> offsets = new ConcurrentHashMap<>();
        AtomicInteger batches = new AtomicInteger();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-batch", topic, protocol).concurrency(2)
                .commitMode(CommitMode.BATCH)
                .batchHandler(records -> {
                    batches.incrementAndGet();
                    assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
                    records.forEach(r -> offsets.computeIfAbsent(r.partition(), p -> Collections.synchronizedList(new ArrayList<>()))
                            .add(r.offset()));
                }).build()) {
            container.start();
            await().until(() -> offsets.values().stream().mapToInt(List::size).sum() == 400);
            String group = container.snapshot().groupId();
            await().until(() -> Containers.committed(kafka, group).values().stream().allMatch(o -> o == 200));
        }
        offsets.values().forEach(list -> assertThat(list).isSorted().hasSize(200).doesNotHaveDuplicates());
        assertThat(batches.get()).isLessThan(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void manualAcknowledgementCommitsOnlyWhatWasAcknowledged(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-manual", 1, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        AtomicInteger handled = new AtomicInteger();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-manual", topic, protocol)
                .commitMode(CommitMode.MANUAL)
                .processor((record, acknowledgement) -> {
                    if (record.offset() != 4) {
                        acknowledgement.acknowledge();
                    }
                    handled.incrementAndGet();
                    return null;
                }).build()) {
            container.start();
            String group = container.snapshot().groupId();
            await().until(() -> handled.get() == 10);
            await().until(() -> Containers.committed(kafka, group).getOrDefault(tp, -1L) == 4);
            await().during(Duration.ofMillis(600)).until(() -> Containers.committed(kafka, group).get(tp) == 4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSlowHandlerHoldsNoMoreThanMaxInFlightRecords(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-bounded", 2, 2000);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-bounded", topic, protocol)
                .ordering(Ordering.UNORDERED).concurrency(4).maxInFlight(50)
                .handler(record -> {
                    release.await();
                    handled.incrementAndGet();
                }).build()) {
            container.start();
            await().until(() -> container.snapshot().inFlight() == 50);
            await().during(Duration.ofMillis(500)).until(() -> container.snapshot().inFlight() == 50);
            release.countDown();
            await().until(() -> handled.get() == 2000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void virtualThreadsAreUsedWhereTheRuntimeHasThemAndRefusedClearlyWhereNot(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-virtual", 1, 10);
        Set<Boolean> virtual = ConcurrentHashMap.newKeySet();
        AtomicInteger handled = new AtomicInteger();
        ConsumerContainer<String, String> container = Containers.builder(kafka, "c-virtual", topic, protocol).virtualThreads(true)
                .handler(record -> {
                    virtual.add(Thread.currentThread().toString().startsWith("VirtualThread"));
                    handled.incrementAndGet();
                }).build();
        try {
            if (Runtime.version().feature() >= 21) {
                container.start();
                await().until(() -> handled.get() == 10);
                assertThat(virtual).containsExactly(true);
            } else {
                org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(container::start)
                        .withMessageContaining("Java 21");
            }
        } finally {
            container.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void pausingStopsHandlingWithoutARebalanceAndResumingGoesOn(String protocol, KafkaBroker kafka) {
        String topic = Engines.unique("c-pause");
        kafka.createTopic(topic, 1);
        AtomicInteger handled = new AtomicInteger();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-pause", topic, protocol)
                .handler(record -> handled.incrementAndGet()).build()) {
            container.start();
            container.pause();
            await().until(() -> container.state() == ContainerState.PAUSED);
            Engines.produce(kafka, topic, 1, 0, 10);
            await().during(Duration.ofMillis(500)).until(() -> handled.get() == 0);
            container.resume();
            assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
            await().until(() -> handled.get() == 10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aGracefulStopFinishesWhatIsInFlightAndARestartHandlesNothingTwice(String protocol, KafkaBroker kafka) {
        int total = 20_000;
        String topic = Engines.topicWithRecords(kafka, "c-restart", 2, total);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        String group = Engines.unique("c-restart");
        RecordProcessor.SyncRecordHandler<String, String> handler = record -> {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // simulated I/O
            if (!handled.add(record.value())) {
                duplicates.add(record.value());
            }
        };
        ConsumerContainer<String, String> first = Containers.builder(kafka, "c-restart", topic, group, protocol)
                .ordering(Ordering.UNORDERED).concurrency(4).commitInterval(Duration.ofMinutes(10)).handler(handler).build();
        first.start();
        await().until(() -> handled.size() >= 500);
        first.stop(Duration.ofSeconds(20));
        assertThat(first.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(first.snapshot().inFlight()).isZero();
        assertThat(handled.size()).as("stopped mid-stream").isLessThan(total);

        try (ConsumerContainer<String, String> second = Containers.builder(kafka, "c-restart", topic, group, protocol)
                .ordering(Ordering.UNORDERED).concurrency(8).handler(handler).build()) {
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == total);
        }
        assertThat(duplicates).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aStopWaitsOnlyForTheRecordsBeingHandledAndARestartTakesTheOthersWithoutDuplicates(String protocol, KafkaBroker kafka) {
        int total = 1_000;
        String topic = Engines.topicWithRecords(kafka, "c-quick-stop", 1, total);
        String group = Engines.unique("c-quick-stop");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch slow = new CountDownLatch(1);
        RecordProcessor.SyncRecordHandler<String, String> handler = record -> {
            if (slow.getCount() > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // draining the 500+ taken would take 25 s or more
            }
            if (!handled.add(record.value())) {
                duplicates.add(record.value());
            }
        };
        ConsumerContainer<String, String> first = Containers.builder(kafka, "c-quick-stop", topic, group, protocol)
                .maxInFlight(total).handler(handler).build();
        first.start();
        await().until(() -> handled.size() >= 3 && first.snapshot().inFlight() > 500);

        int inFlightAtStop = first.snapshot().inFlight();
        int handledAtStop = handled.size();
        first.stop(Duration.ofSeconds(60));

        assertThat(first.snapshot().inFlight()).isZero();
        int handledByFirst = handled.size();
        // counted, not timed: the record being handled finishes, and the few started while the dispatcher notices the
        // stop (it looks every 100 ms); a stop that ran everything taken would handle all of them, 25 s or more of work
        assertThat(handledByFirst - handledAtStop).as("records handled after stop() was called, of the %d in flight", inFlightAtStop)
                .isLessThan(inFlightAtStop / 2);
        assertThat(handledByFirst).isLessThan(total);
        assertThat(Containers.committed(kafka, group).get(new TopicPartition(topic, 0))).isEqualTo((long) handledByFirst);
        slow.countDown();
        try (ConsumerContainer<String, String> second = Containers.builder(kafka, "c-quick-stop", topic, group, protocol)
                .handler(handler).build()) {
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == total);
        }
        assertThat(duplicates).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRecordStillRunningWhenAStopGivesUpIsLoggedAsTheStopsNotAsTheRevocationTimeout(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-stuck-stop", 1, 10);
        CountDownLatch release = new CountDownLatch(1);
        Logger logger = (Logger) LoggerFactory.getLogger("dev.kafkaconsumer.core.internal.container.RebalanceHandler");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            ConsumerContainer<String, String> container = Containers.builder(kafka, "c-stuck-stop", topic, protocol)
                    .revocationTimeout(Duration.ofMinutes(5)).handler(record -> release.await()).build();
            container.start();
            await().until(() -> container.snapshot().inFlight() > 0);
            container.stop(Duration.ofMillis(200));
            assertThat(logged.list).map(ILoggingEvent::getFormattedMessage).filteredOn(line -> line.contains("still in flight"))
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("when the stop's drain ended").doesNotContain("revocation"));
        } finally {
            release.countDown();
            logger.detachAppender(logged);
        }
    }
}
