package dev.kafkaconsumer.benchmarks.share;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;

/**
 * B9's slow records, on <em>one</em> partition: record {@code i} has the string key {@code "key-" + (i mod keys)} and
 * carries its simulated I/O time, drawn once from a seeded uniform distribution over 0–5 ms, in the first 8 bytes of
 * its 100-byte value; with B3's seed these are B3's delays. A share group ignores keys; the key-ordered
 * {@code ConsumerContainer} runs records of different keys at once, so with many keys it may use all its threads on
 * one partition too.
 */
final class ShareSlowRecords {

    /** The longest simulated I/O of one record. */
    static final long MAX_DELAY_NANOS = 5_000_000L;
    /** The seed of the delays unless {@code bench.seed} says otherwise: B3's. */
    static final long DEFAULT_SEED = 6L;

    private final long[] delays;
    private final int keys;

    /**
     * @param seed    the seed of the delays: the same seed gives the same delays
     * @param records how many records the topic holds
     * @param keys    the key space
     */
    ShareSlowRecords(long seed, int records, int keys) {
        if (records < 1 || keys < 1) {
            throw new IllegalArgumentException("records and keys must be positive; were " + records + " and " + keys);
        }
        SplittableRandom random = new SplittableRandom(seed);
        delays = new long[records];
        for (int i = 0; i < records; i++) {
            delays[i] = random.nextLong(MAX_DELAY_NANOS + 1);
        }
        this.keys = keys;
    }

    int size() {
        return delays.length;
    }

    int keys() {
        return keys;
    }

    /** The simulated I/O time of record {@code index}, in nanoseconds. */
    long delayNanos(int index) {
        return delays[index];
    }

    /** The record at {@code index}, for partition 0 of {@code topic}. */
    ProducerRecord<byte[], byte[]> record(String topic, int index) {
        ByteBuffer value = ByteBuffer.allocate(BenchSettings.VALUE_BYTES);
        value.putLong(0, delays[index]);
        byte[] key = ("key-" + index % keys).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, 0, key, value.array());
    }

    /** The simulated I/O time that {@link #record} wrote into a record's value. */
    static long delayOf(ConsumerRecord<byte[], byte[]> record) {
        return ByteBuffer.wrap(record.value()).getLong(0);
    }

    /** The sum of all delays: what one thread handling every record would wait. */
    long totalNanos() {
        long total = 0;
        for (long delay : delays) {
            total += delay;
        }
        return total;
    }

    /** The longest sum of delays of one key: records the key-ordered container must run one after another. */
    long longestKeyChainNanos() {
        Map<Integer, Long> chains = new HashMap<>();
        long longest = 0;
        for (int i = 0; i < delays.length; i++) {
            longest = Math.max(longest, chains.merge(i % keys, delays[i], Long::sum));
        }
        return longest;
    }

    /**
     * The least wall time of a contender that handles at most {@code threads} records at once: all the work spread
     * evenly over the threads, or, for the key-ordered container, the longest key chain when it is longer.
     *
     * @param threads   records handled at once
     * @param keyOrdered whether records of one key must run one after another
     * @return seconds
     */
    double lowerBoundSeconds(int threads, boolean keyOrdered) {
        double spread = totalNanos() / (double) threads;
        return (keyOrdered ? Math.max(spread, longestKeyChainNanos()) : spread) / 1e9;
    }
}
