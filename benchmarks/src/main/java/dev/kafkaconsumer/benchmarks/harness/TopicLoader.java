package dev.kafkaconsumer.benchmarks.harness;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills the benchmark's topic once per run, so that every drain of every contender reads the very
 * same log segments. The producer is tuned for speed only (big batches, {@code acks=1}, no
 * compression): how the data got there is not what B1 measures. Values are random so that nothing
 * downstream could profit from repetitive bytes.
 */
public final class TopicLoader {

    private static final int DISTINCT_VALUES = 4096;
    private static final long BUFFER_MEMORY = 128L * 1024 * 1024;
    private static final Duration LEADER_WAIT = Duration.ofMinutes(2);

    private final String bootstrapServers;

    public TopicLoader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Creates the topic, produces {@code records} values of {@code valueBytes} random bytes with null
     * keys, and checks that the log end offsets add up to what was sent.
     *
     * @return the number of records the topic holds
     */
    public long load(String topic, int partitions, long records, int valueBytes) {
        return load(topic, partitions, records, valueBytes, 0, new AtomicLong());
    }

    /**
     * Creates the topic if {@code produced} is zero, then produces {@code records} more, keyed by one of
     * {@code keys} keys in turn (null keys when zero), counting each acknowledged record in {@code produced},
     * and checks that the log end offsets add up to {@code produced}.
     *
     * @param produced how many records the topic holds before; updated as records are acknowledged
     * @return the number of records the topic holds
     */
    public long load(String topic, int partitions, long records, int valueBytes, int keys, AtomicLong produced) {
        Random random = new Random(42);
        byte[][] values = new byte[DISTINCT_VALUES][valueBytes];
        for (byte[] value : values) {
            random.nextBytes(value);
        }
        byte[][] keyBytes = new byte[keys][];
        for (int k = 0; k < keys; k++) {
            keyBytes[k] = ("key-" + k).getBytes(StandardCharsets.UTF_8);
        }
        return load(topic, partitions, records, i -> new ProducerRecord<>(topic, keys == 0 ? null : keyBytes[(int) (i % keys)],
                values[(int) (i % DISTINCT_VALUES)]), produced);
    }

    /**
     * Creates the topic, produces the records that {@code recordAt} makes for 0 to {@code records - 1}, in
     * that order, and checks that the log end offsets add up to what was sent.
     *
     * @return the number of records the topic holds
     */
    public long load(String topic, int partitions, long records, LongFunction<ProducerRecord<byte[], byte[]>> recordAt) {
        return load(topic, partitions, records, recordAt, new AtomicLong());
    }

    private long load(String topic, int partitions, long records, LongFunction<ProducerRecord<byte[], byte[]>> recordAt,
            AtomicLong produced) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            if (produced.get() == 0) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                awaitLeaders(admin, topic, partitions);
            }
            produce(topic, partitions, records, recordAt, produced);
            long stored = endOffsetSum(admin, topic, partitions);
            if (stored != produced.get()) {
                throw new IllegalStateException("Topic " + topic + " holds " + stored + " records; " + produced.get() + " were sent");
            }
            return stored;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not prepare topic " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing topic " + topic, e);
        }
    }

    /**
     * Waits until every partition of a new topic has a leader: the topic's creation returns before the controller has
     * elected them all, and with 1,000 partitions on a busy machine (B7) the producer's batches for partitions still
     * without one expired before they had.
     */
    private static void awaitLeaders(Admin admin, String topic, int partitions) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            long led = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .filter(partition -> partition.leader() != null && !partition.leader().isEmpty()).count();
            if (led == partitions) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " has leaders for " + led + " of its " + partitions
                        + " partitions after " + LEADER_WAIT.toSeconds() + " s");
            }
            Thread.sleep(100); // polling the controller's metadata, not waiting for a thread of ours
        }
    }

    private void produce(String topic, int partitions, long records, LongFunction<ProducerRecord<byte[], byte[]>> recordAt, AtomicLong produced) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(partitions),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < records && failure.get() == null; i++) {
                producer.send(recordAt.apply(i), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        produced.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Producing to " + topic + " failed", failure.get());
        }
    }

    /**
     * Large batches (512 KiB) for the usual few partitions; smaller ones for many (B7's 1,000), since the producer gives
     * every partition a batch of that size from its 128 MiB pool and would otherwise wait for the pool.
     */
    private Map<String, Object> producerProperties(int partitions) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "b1-loader");
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, (int) Math.min(512 * 1024, BUFFER_MEMORY / (4L * partitions)));
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_MEMORY);
        return properties;
    }

    private static long endOffsetSum(Admin admin, String topic, int partitions)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = admin.listOffsets(latest).all().get();
        return offsets.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }
}
