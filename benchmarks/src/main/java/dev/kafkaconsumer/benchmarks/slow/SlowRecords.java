package dev.kafkaconsumer.benchmarks.slow;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DelayChains;

/**
 * B3's records: record {@code i} of a topic with {@code P} partitions and {@code K} keys goes to partition
 * {@code i mod P} with key {@code "key-" + (i mod K)} (a string, as UTF-8 bytes), and carries its simulated
 * I/O time, drawn once from a seeded uniform distribution over 0–5 ms, in the first 8 bytes of its
 * 100-byte value. So every contender waits the same time for the same record, every topic holds the same
 * sequence of delays, and every partition count puts the same records (and delays) in each partition
 * whatever the key space: the key space changes only which records may run at the same time.
 *
 * <p>Partitions are chosen explicitly rather than by hashing the key, so that they stay balanced for any
 * key space; a record's key still decides its order only within its partition, for the key-ordered
 * contenders as for Kafka.
 */
final class SlowRecords {

    /** The longest simulated I/O of one record. */
    static final long MAX_DELAY_NANOS = 5_000_000L;
    /** The seed of the delays unless {@code bench.seed} says otherwise. */
    static final long DEFAULT_SEED = 6L;

    private final long[] delays;

    /**
     * @param seed    the seed of the delays: the same seed gives the same delays
     * @param records how many records each topic holds
     */
    SlowRecords(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        delays = new long[records];
        for (int i = 0; i < records; i++) {
            delays[i] = random.nextLong(MAX_DELAY_NANOS + 1);
        }
    }

    int size() {
        return delays.length;
    }

    /** The simulated I/O time of record {@code index}, in nanoseconds. */
    long delayNanos(int index) {
        return delays[index];
    }

    /** The record at {@code index} of a topic with the given partitions and key space. */
    ProducerRecord<byte[], byte[]> record(String topic, int index, int partitions, int keys) {
        ByteBuffer value = ByteBuffer.allocate(BenchSettings.VALUE_BYTES);
        value.putLong(0, delays[index]);
        byte[] key = ("key-" + index % keys).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, index % partitions, key, value.array());
    }

    /** The simulated I/O time that {@link #record} wrote into a record's value. */
    static long delayOf(ConsumerRecord<byte[], byte[]> record) {
        return ByteBuffer.wrap(record.value()).getLong(0);
    }

    /** The sum of all delays: what one thread handling every record would wait. */
    long totalNanos() {
        return DelayChains.totalNanos(delays);
    }

    /**
     * The longest sum of delays of records that must run one after another: those of one partition when
     * {@code keys} is 0 (partition ordering), or those of one key within one partition otherwise (key
     * ordering). No contender that keeps that order can finish sooner.
     */
    long longestChainNanos(int partitions, int keys) {
        return DelayChains.longestChainNanos(delays, partitions, keys);
    }

    /**
     * The least wall time of a contender that runs at most {@code concurrency} records at once in the given
     * order: the longest chain, or all the work spread evenly over the threads, whichever is longer.
     *
     * @param keys 0 for partition ordering, else the key space (key ordering)
     */
    double lowerBoundSeconds(int partitions, int keys, int concurrency) {
        return Math.max(longestChainNanos(partitions, keys), totalNanos() / (double) concurrency) / 1e9;
    }
}
