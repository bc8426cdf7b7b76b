package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaLagEndpointAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaLagEndpoint;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaLagEndpoint.ContainerLagDescriptor;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaLagEndpoint.PartitionLagDescriptor;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.PartitionLag;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R16: a producer opens a transaction on a partition and hangs (it is neither committed nor closed). A Spring Boot
 * application's container reads {@code read_committed}: it stops at the last stable offset, where the transaction
 * begins, while the records written behind it by other producers (plain and in a committed transaction) wait; the
 * {@code kafkalag} endpoint (its read operation, called on the bean in an {@link ApplicationContextRunner}, not over
 * HTTP) shows the partition {@code HELD}, its lag against the last stable offset and the high-water mark above it.
 * The other partition goes on. When the broker aborts the transaction ({@code transaction.timeout.ms}, found by its
 * abort check every {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}, 10 s by default), the
 * container resumes: every record of the other producers is handled once, none of the aborted transaction is.
 * The checker is told the offsets that hold no record for a {@code read_committed} reader (the aborted records, the
 * markers), from the offsets the producers' acknowledgements gave. The committed offsets reach the end offsets, past
 * the aborted records and the markers behind the last record (the container commits the engine's position once
 * nothing of a partition is left to handle), and a lag window later partition 0 is {@code OK}, not a false
 * {@code STOP}; the row reports both.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class StuckTransactionTest {

    private static final String CONTAINER = "r16";
    private static final int TRANSACTION_TIMEOUT_MS = 6000;
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(200);
    /** The lag window, short so that HELD shows well within the transaction timeout. */
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int BEFORE = 200;
    private static final int HUNG = 50;
    private static final int AFTER = 200;
    private static final int COMMITTED_TRANSACTION = 100;
    /** The sequences of the hung transaction's records start here: far from the others, so that one delivered shows. */
    private static final long ABORTED = 1_000_000;

    @TempDir
    Path dir;

    /** By partition, the offsets of the records the other producers wrote: what a read_committed reader gets. */
    private final Map<Integer, Set<Long>> records = new ConcurrentHashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aPartitionBehindAHangingTransactionIsHeldAtTheLastStableOffsetAndResumesAfterTheAbortWithNothingLostOrAborted(
            String protocol, KafkaBroker kafka, Results results) throws Exception {
        String topic = Scenarios.unique("r16-" + protocol);
        kafka.createTopic(topic, 2);
        Path events = dir.resolve(topic + ".events");
        List<Long> acknowledged = new ArrayList<>(send(kafka, topic, 0, 0, BEFORE));
        acknowledged.addAll(send(kafka, topic, 1, BEFORE, BEFORE));
        try (EventLog log = EventLog.open(events)) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, EndpointAutoConfiguration.class,
                            LagTrackerAutoConfiguration.class, KafkaLagEndpointAutoConfiguration.class))
                    .withBean(Handler.class, () -> new Handler(log))
                    .withBean(ContainerCustomizer.class, () -> (id, builder) -> builder.listener(new EventLogListener(log)))
                    .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                            "kafka.consumer.group-id=" + topic, "kafka.consumer.auto-offset-reset=earliest",
                            "kafka.consumer.isolation-level=read_committed", "kafka.consumer.commit-interval=200ms",
                            "kafka.consumer.properties.group.protocol=" + protocol, "r16.topic=" + topic,
                            "kafka.consumer.lag.sample-interval=" + SAMPLE_INTERVAL.toMillis() + "ms",
                            "kafka.consumer.lag.window=" + WINDOW.dividedBy(SAMPLE_INTERVAL),
                            "management.endpoints.web.exposure.include=*")
                    .run(context -> {
                        KafkaLagEndpoint endpoint = context.getBean(KafkaLagEndpoint.class);
                        await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= 2 * BEFORE);
                        try (KafkaProducer<String, String> hung = transactional(kafka, TRANSACTION_TIMEOUT_MS)) {
                            hung.initTransactions();
                            hung.beginTransaction();
                            long opened = System.nanoTime();
                            for (int i = 0; i < HUNG; i++) {
                                hung.send(new ProducerRecord<>(topic, 0, null, String.valueOf(ABORTED + i)));
                            }
                            hung.flush(); // written, and then nothing: the producer hangs, its transaction open
                            long next = 2 * BEFORE;
                            acknowledged.addAll(send(kafka, topic, 0, next, AFTER));
                            acknowledged.addAll(sendCommitted(kafka, topic, next + AFTER));
                            acknowledged.addAll(send(kafka, topic, 1, next + AFTER + COMMITTED_TRANSACTION, AFTER));

                            AtomicReference<ContainerLagDescriptor> seen = new AtomicReference<>();
                            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                                seen.set(endpoint.containerLag(CONTAINER));
                                PartitionLagDescriptor first = seen.get() == null ? null : partition(seen.get(), topic, 0);
                                return first != null && "HELD".equals(first.status());
                            });
                            Duration heldAfter = Duration.ofNanos(System.nanoTime() - opened);
                            ContainerLagDescriptor held = seen.get();
                            System.out.println("kafkalag/" + CONTAINER + " while held: " + held);
                            long handledBehind = processedOn(events, 0).stream().filter(offset -> offset >= BEFORE).count();

                            await().atMost(Duration.ofSeconds(60)).until(() -> Logs.allProcessed(List.of(events), acknowledged));
                            Duration resumedAfter = Duration.ofNanos(System.nanoTime() - opened);
                            hung.close(Duration.ZERO);
                            Map<Integer, Long> ends = ends(kafka, topic, 2);
                            Map<Integer, Long> afterLastRecord = new TreeMap<>();
                            this.records.forEach((p, offsets) -> afterLastRecord.put(p, Collections.max(offsets) + 1));
                            AtomicReference<Map<Integer, Long>> committed = new AtomicReference<>();
                            // past the last record and the markers behind it: the end offsets themselves
                            boolean reachedEnds = reached(Duration.ofSeconds(30), () -> {
                                committed.set(Scenarios.committed(kafka, topic, topic));
                                return committed.get().equals(ends);
                            });
                            // the status a whole window after the last commit
                            long settled = System.currentTimeMillis() + WINDOW.toMillis();
                            LagTracker tracker = context.getBean(LagTracker.class);
                            await().atMost(Duration.ofSeconds(30)).until(() -> tracker.partition(CONTAINER, new TopicPartition(topic, 0))
                                    .map(PartitionLag::sampledAt).orElse(0L) > settled);
                            String after = partition(endpoint.containerLag(CONTAINER), topic, 0).status();
                            Map<Integer, Set<Long>> gaps = withoutRecords(ends);

                            CheckResult result = Checker.check(List.of(events), acknowledged, gaps);
                            long abortedDelivered = Scenarios.processed(events).stream()
                                    .filter(fields -> Long.parseLong(fields[4]) >= ABORTED).count();
                            PartitionLagDescriptor heldPartition = partition(held, topic, 0);
                            Scenarios.report(results, "R16 stuck transaction", protocol, result, String.format("read_committed; a "
                                    + "transaction of %d records on partition 0 left open (transaction.timeout.ms %d), %d plain and "
                                    + "%d in a committed transaction written behind it; kafkalag after %.1f s: partition 0 %s "
                                    + "(committed %d, endOffset = last stable offset %d, highWatermark %d, lag %d), partition 1 %s, "
                                    + "container %s; %d records handled behind the last stable offset while held; all consumed "
                                    + "%.1f s after the transaction opened (the broker's abort), and a lag window after the last "
                                    + "commit partition 0 is %s; aborted records delivered: %d; offsets without a record for the "
                                    + "consumer (aborted, markers) %s; committed at the end %s, end offsets %s (after the last "
                                    + "record %s)",
                                    HUNG, TRANSACTION_TIMEOUT_MS, AFTER, COMMITTED_TRANSACTION, heldAfter.toMillis() / 1000.0,
                                    heldPartition.status(), heldPartition.committed(), heldPartition.endOffset(),
                                    heldPartition.highWatermark(), heldPartition.lag(), partition(held, topic, 1).status(),
                                    held.status(), handledBehind, resumedAfter.toMillis() / 1000.0, after, abortedDelivered,
                                    ranges(gaps.get(0)), committed.get(), ends, afterLastRecord));

                            assertThat(heldPartition.endOffset()).as("the last stable offset: where the transaction began")
                                    .isEqualTo(BEFORE);
                            assertThat(heldPartition.highWatermark()).as("records written behind it")
                                    .isGreaterThanOrEqualTo((long) BEFORE + HUNG + AFTER);
                            assertThat(held.status()).as("the container's status, the worst of its partitions").isEqualTo("HELD");
                            assertThat(handledBehind).as("records handled past the last stable offset while held").isZero();
                            assertThat(abortedDelivered).as("records of the aborted transaction delivered").isZero();
                            assertThat(gaps.get(0)).as("the aborted records and the two markers").hasSize(HUNG + 2);
                            assertThat(reachedEnds).as("committed %s, end offsets %s", committed.get(), ends).isTrue();
                            assertThat(committed.get()).as("committed past the markers: the end offsets").isEqualTo(ends);
                            assertThat(after).as("partition 0 a lag window after the last commit, quiet and caught up")
                                    .isEqualTo("OK");
                            assertThat(result.clean()).as(result.toString()).isTrue();
                        }
                    });
        }
    }

    /** Whether the condition came true within the time; reported rather than thrown, so that the row is written. */
    private static boolean reached(Duration within, Callable<Boolean> condition) {
        try {
            await().atMost(within).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** A transactional producer of its own id, with the given transaction timeout. */
    private static KafkaProducer<String, String> transactional(KafkaBroker kafka, int timeoutMs) {
        return kafka.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "r16-" + UUID.randomUUID(),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs), new StringSerializer(), new StringSerializer());
    }

    /** {@code count} plain records on a partition, sequences from {@code first}, each acknowledged. */
    private List<Long> send(KafkaBroker kafka, String topic, int partition, long first, int count) throws Exception {
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            return sendAll(producer, topic, partition, first, count, () -> { });
        }
    }

    /** {@link #COMMITTED_TRANSACTION} records on partition 0 in a transaction of another producer, committed. */
    private List<Long> sendCommitted(KafkaBroker kafka, String topic, long first) throws Exception {
        try (KafkaProducer<String, String> producer = transactional(kafka, 60_000)) {
            producer.initTransactions();
            producer.beginTransaction();
            return sendAll(producer, topic, 0, first, COMMITTED_TRANSACTION, producer::commitTransaction);
        }
    }

    /** Sends, runs {@code then} (a commit), waits for every acknowledgement and notes the records' offsets. */
    private List<Long> sendAll(KafkaProducer<String, String> producer, String topic, int partition, long first, int count,
            Runnable then) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(producer.send(new ProducerRecord<>(topic, partition, null, String.valueOf(first + i))));
        }
        then.run();
        for (Future<RecordMetadata> ack : acks) {
            this.records.computeIfAbsent(partition, p -> new HashSet<>()).add(ack.get().offset());
        }
        return LongStream.range(first, first + count).boxed().toList();
    }

    /** By partition, the offsets below the end that hold no record of {@link #records}: the aborted ones, the markers. */
    private Map<Integer, Set<Long>> withoutRecords(Map<Integer, Long> ends) {
        Map<Integer, Set<Long>> gaps = new TreeMap<>();
        ends.forEach((partition, end) -> gaps.put(partition, LongStream.range(0, end)
                .filter(offset -> !this.records.getOrDefault(partition, Set.of()).contains(offset)).boxed()
                .collect(Collectors.toCollection(TreeSet::new))));
        return gaps;
    }

    /** The high-water marks of the topic's partitions. */
    private static Map<Integer, Long> ends(KafkaBroker kafka, String topic, int partitions) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
            return ends;
        }
    }

    /** Offsets as runs: {@code 200-249, 550-551}. */
    private static String ranges(Set<Long> offsets) {
        List<String> runs = new ArrayList<>();
        long start = -1;
        long previous = -2;
        for (long offset : new TreeSet<>(offsets)) {
            if (offset != previous + 1) {
                if (start >= 0) {
                    runs.add(start == previous ? String.valueOf(start) : start + "-" + previous);
                }
                start = offset;
            }
            previous = offset;
        }
        if (start >= 0) {
            runs.add(start == previous ? String.valueOf(start) : start + "-" + previous);
        }
        return runs.toString();
    }

    /** A partition of the endpoint's answer, or null while it is not assigned. */
    private static PartitionLagDescriptor partition(ContainerLagDescriptor lag, String topic, int partition) {
        KafkaLagEndpoint.TopicLagDescriptor described = lag.topics().get(topic);
        return described == null ? null : described.partitions().get(String.valueOf(partition));
    }

    /** The offsets of a partition handled so far. */
    private static List<Long> processedOn(Path events, int partition) throws IOException {
        return Scenarios.processed(events).stream().filter(fields -> Integer.parseInt(fields[2]) == partition)
                .map(fields -> Long.parseLong(fields[3])).toList();
    }

    /** The application's handler: logs each record as processed. */
    static final class Handler {

        private final EventLog log;

        Handler(EventLog log) {
            this.log = log;
        }

        @RecordHandler(id = CONTAINER, topics = "${r16.topic}")
        void handle(ConsumerRecord<String, String> record) {
            log.processed(record.topic(), record.partition(), record.offset(), Scenarios.sequence(record.value()));
        }
    }
}
