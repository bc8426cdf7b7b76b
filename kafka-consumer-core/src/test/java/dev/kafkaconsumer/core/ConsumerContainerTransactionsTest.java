package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * The transactional container on the in-process broker, under both group protocols: a {@code read_committed} reader
 * of the outputs sees each input's outputs exactly once, in key order, whatever the concurrency, retries, dead
 * letters and rebalances.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerContainerTransactionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void keyOrderedWithConcurrencySixEachInputIsSeenOnceInKeyOrderAndThePoisonGoesToTheDeadLetterTopicInItsTransaction(
            String protocol, KafkaBroker kafka) {
        int records = 3000;
        String input = inputTopic(kafka, "tx-keys", 4, records, 60);
        String output = Engines.unique("tx-keys-out");
        kafka.createTopic(output, 3);
        kafka.createTopic(input + ".DLT", 1);
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        AtomicInteger committedTransactions = new AtomicInteger();
        AtomicInteger transactionRecords = new AtomicInteger();
        String group = Engines.unique("tx-keys");
        try (ConsumerContainer<String, String> container = builder(kafka, "tx-keys", input, group, protocol)
                .ordering(Ordering.KEY).concurrency(6)
                .retryPolicy(RetryPolicy.fixed(3, Duration.ofMillis(20)))
                .recoverer(Recoverers.deadLetterTopic(new HashMap<>(kafka.clientProperties())))
                .listener(new ContainerListener() {
                    @Override
                    public void transactionCommitted(String name, Map<TopicPartition, OffsetAndMetadata> offsets, int count) {
                        committedTransactions.incrementAndGet();
                        transactionRecords.addAndGet(count);
                    }
                })
                .transactional(transactions(kafka), (ConsumerRecord<String, String> record,
                        TransactionalSender<String, String> sender) -> {
                    int value = Integer.parseInt(record.value());
                    int attempt = attempts.merge(record.value(), 1, Integer::sum);
                    sender.send(output, record.key(), "out-" + value + "-attempt-" + attempt);
                    if (value == 1234 || value % 101 == 0 && attempt == 1) {
                        throw new IllegalStateException("failing " + value + " on attempt " + attempt);
                    }
                    LockSupport.parkNanos(value % 7 == 0 ? 200_000 : 0);
                })
                .build()) {
            container.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> container.snapshot().partitions().size() == 4
                    && container.snapshot().partitions().stream().allMatch(p -> p.committed().orElse(-1) == records / 4));
            assertThat(container.snapshot().transactions().committed()).isPositive();
            assertThat(container.snapshot().transactions().aborted()).isZero();
        }
        assertThat(committedTransactions).hasPositiveValue();
        assertThat(transactionRecords).hasValue(records);

        List<ConsumerRecord<String, String>> outputs = readCommitted(kafka, output, records - 1);
        Map<String, List<Integer>> byKey = new HashMap<>();
        Set<Integer> seen = new java.util.HashSet<>();
        for (ConsumerRecord<String, String> out : outputs) {
            String[] parts = out.value().split("-");
            int value = Integer.parseInt(parts[1]);
            assertThat(seen.add(value)).as("output of %s seen once", value).isTrue();
            assertThat(Integer.parseInt(parts[3])).as("only the successful attempt's output of %s", value)
                    .isEqualTo(value % 101 == 0 ? 2 : 1);
            byKey.computeIfAbsent(out.key(), k -> new ArrayList<>()).add(value);
        }
        assertThat(seen).hasSize(records - 1).doesNotContain(1234);
        byKey.values().forEach(values -> assertThat(values).isSorted());
        List<ConsumerRecord<String, String>> deadLetters = readCommitted(kafka, input + ".DLT", 1);
        assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly("1234");
        assertThat(Containers.committed(kafka, group)).containsOnly(IntStream.range(0, 4)
                .mapToObj(p -> Map.entry(new TopicPartition(input, p), (long) records / 4)).toArray(Map.Entry[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSecondContainerJoiningMidwayLeavesEachInputSeenOnceByAReadCommittedReader(String protocol, KafkaBroker kafka) {
        int records = 4000;
        String input = inputTopic(kafka, "tx-join", 6, records, 200);
        String output = Engines.unique("tx-join-out");
        kafka.createTopic(output, 2);
        String group = Engines.unique("tx-join");
        AtomicInteger handled = new AtomicInteger();
        TransactionalRecordHandler<String, String, String, String> handler = TransactionalRecordHandler.returning(record -> {
            handled.incrementAndGet();
            LockSupport.parkNanos(100_000);
            return List.of(new ProducerRecord<>(output, record.key(), record.value()));
        });
        try (ConsumerContainer<String, String> first = builder(kafka, "tx-join-1", input, group, protocol)
                .ordering(Ordering.KEY).concurrency(6).transactional(transactions(kafka), handler).build();
                ConsumerContainer<String, String> second = builder(kafka, "tx-join-2", input, group, protocol)
                        .ordering(Ordering.KEY).concurrency(6).transactional(transactions(kafka), handler).build()) {
            first.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> handled.get() > records / 4);
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !second.snapshot().partitions().isEmpty());
            await().atMost(Duration.ofSeconds(90)).until(() -> Containers.committed(kafka, group).values().stream()
                    .mapToLong(Long::longValue).sum() == records);
        }
        List<ConsumerRecord<String, String>> outputs = readCommitted(kafka, output, records);
        assertThat(outputs).extracting(ConsumerRecord::value).doesNotHaveDuplicates().hasSize(records);
        Map<String, List<Integer>> byKey = new HashMap<>();
        outputs.forEach(out -> byKey.computeIfAbsent(out.key(), k -> new ArrayList<>()).add(Integer.parseInt(out.value())));
        byKey.values().forEach(values -> assertThat(values).isSorted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aTransactionThatFailsIsAbortedAndItsRecordsAreHandledAgainWithNothingOfItVisible(String protocol, KafkaBroker kafka) {
        int records = 600;
        String input = inputTopic(kafka, "tx-abort", 3, records, 30);
        String output = Engines.unique("tx-abort-out");
        kafka.createTopic(output, 1);
        Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
        String huge = "x".repeat(2 * 1024 * 1024); // beyond max.request.size: the transaction cannot commit
        String group = Engines.unique("tx-abort");
        try (ConsumerContainer<String, String> container = builder(kafka, "tx-abort", input, group, protocol)
                .ordering(Ordering.KEY).concurrency(6)
                .transactional(transactions(kafka), (ConsumerRecord<String, String> record,
                        TransactionalSender<String, String> sender) -> {
                    int value = Integer.parseInt(record.value());
                    int handling = attempts.merge(value, 1, Integer::sum);
                    sender.send(output, record.key(), value == 300 && handling == 1 ? huge : record.value());
                })
                .build()) {
            container.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> Containers.committed(kafka, group).values().stream()
                    .mapToLong(Long::longValue).sum() == records);
            TransactionStats stats = container.snapshot().transactions();
            assertThat(stats.aborted()).isPositive();
            assertThat(stats.lastAbortReason()).contains("RecordTooLarge");
        }
        assertThat(attempts.get(300)).isGreaterThanOrEqualTo(2);
        List<ConsumerRecord<String, String>> outputs = readCommitted(kafka, output, records);
        assertThat(outputs).extracting(ConsumerRecord::value).doesNotHaveDuplicates().hasSize(records).doesNotContain(huge);
        Map<String, List<Integer>> byKey = new HashMap<>();
        outputs.forEach(out -> byKey.computeIfAbsent(out.key(), k -> new ArrayList<>()).add(Integer.parseInt(out.value())));
        byKey.values().forEach(values -> assertThat(values).isSorted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRecordStillRunningWhenItsOwnerStoppedIsNeverCommittedByItAndTheNextOwnerHandlesIt(String protocol,
            KafkaBroker kafka) throws InterruptedException {
        int records = 300;
        String input = inputTopic(kafka, "tx-late", 2, records, 20);
        String output = Engines.unique("tx-late-out");
        kafka.createTopic(output, 1);
        String group = Engines.unique("tx-late");
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Throwable> lateSend = new java.util.concurrent.atomic.AtomicReference<>();
        ConsumerContainer<String, String> old = builder(kafka, "tx-late-old", input, group, protocol)
                .ordering(Ordering.KEY).concurrency(6)
                .transactional(transactions(kafka), (ConsumerRecord<String, String> record,
                        TransactionalSender<String, String> sender) -> {
                    if (record.value().equals("150")) {
                        stuck.countDown();
                        release.await();
                        sender.send(output, record.key(), "old-150"); // the handler goes on after its owner stopped
                        return;
                    }
                    sender.send(output, record.key(), record.value());
                })
                .build();
        old.start();
        assertThat(stuck.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        old.stop(Duration.ofSeconds(1)); // the record is still running: nothing at or after it in its key is committed
        try (ConsumerContainer<String, String> next = builder(kafka, "tx-late-next", input, group, protocol)
                .ordering(Ordering.KEY).concurrency(6)
                .transactional(transactions(kafka), TransactionalRecordHandler.returning(
                        record -> List.of(new ProducerRecord<>(output, record.key(), record.value()))))
                .build()) {
            next.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> Containers.committed(kafka, group).values().stream()
                    .mapToLong(Long::longValue).sum() == records);
            release.countDown();
            List<ConsumerRecord<String, String>> outputs = readCommitted(kafka, output, records);
            assertThat(outputs).extracting(ConsumerRecord::value).doesNotHaveDuplicates().hasSize(records)
                    .contains("150").doesNotContain("old-150");
        }
    }

    /** Records "i" with key "key-(i % keys)", each key on one partition, in order. */
    static String inputTopic(KafkaBroker kafka, String prefix, int partitions, int records, int keys) {
        String topic = Engines.unique(prefix);
        kafka.createTopic(topic, partitions);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, records)
                .mapToObj(i -> new ProducerRecord<>(topic, (i % keys) % partitions, "key-" + (i % keys), String.valueOf(i)))
                .toList());
        return topic;
    }

    static ConsumerContainer.Builder<String, String> builder(KafkaBroker kafka, String name, String topic, String group,
            String protocol) {
        return ConsumerContainer.builder(name, new StringDeserializer(), new StringDeserializer())
                .properties(kafka.clientProperties())
                .property("auto.offset.reset", "earliest")
                .groupId(group)
                .properties(Engines.groupProperties(kafka, group, protocol))
                .topics(List.of(topic));
    }

    static Transactions<String, String> transactions(KafkaBroker kafka) {
        return Transactions.builder(kafka.clientProperties(), new StringSerializer(), new StringSerializer())
                .transactionalIdPrefix("tx-test-").commitInterval(Duration.ofMillis(50)).build();
    }

    /** Reads a topic read_committed from the beginning until {@code count} records came, then what follows within half a second. */
    static List<ConsumerRecord<String, String>> readCommitted(KafkaBroker kafka, String topic, int count) {
        try (ConsumerEngine<String, String> reader = Engines.builder(kafka).property("isolation.level", "read_committed")
                .build()) {
            reader.subscribe(List.of(topic));
            reader.start();
            List<ConsumerRecord<String, String>> read = new ArrayList<>(Engines.take(reader, count));
            reader.getMany(Duration.ofMillis(500)).values().forEach(read::addAll);
            return read;
        }
    }
}
