package dev.kafkaconsumer.benchmarks.transactions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DelayChains;

/**
 * B11's input and its transformation. Input record {@code i} goes to partition {@code i mod 6} with key
 * {@code "key-" + (i mod K)} and a 100-byte value whose first 8 bytes are its simulated I/O time: 0 in B11, drawn once
 * from a seeded uniform distribution over 0–5 ms in B11-SLOW (the same draw as B3's for the same seed). Partitions are
 * chosen explicitly, as in B3, so that they stay balanced for any key space.
 *
 * <p>The output of an input record ({@link #output}) has the input's key and a 100-byte value that starts with the
 * input's partition (4 bytes) and offset (8 bytes): that is what lets the read_committed check ({@link OutputTally})
 * find every input exactly once in the output, and the per-key order.
 */
final class TransactionalRecords {

    /** The longest simulated I/O of one record in B11-SLOW. */
    static final long MAX_DELAY_NANOS = 5_000_000L;
    /** The seed of the delays unless {@code bench.seed} says otherwise: B3's. */
    static final long DEFAULT_SEED = 6L;
    /** Partitions of the input and the output topic. */
    static final int PARTITIONS = BenchSettings.PARTITIONS;

    private final long[] delays;
    private final int keys;
    private final byte[][] keyBytes;

    /**
     * @param records how many input records
     * @param keys    the key space
     * @param slow    whether records carry 0–5 ms of simulated I/O (B11-SLOW) or none (B11)
     * @param seed    the seed of the delays: the same seed gives the same delays
     */
    TransactionalRecords(int records, int keys, boolean slow, long seed) {
        if (keys < 1) {
            throw new IllegalArgumentException("B11 needs at least one key; was " + keys);
        }
        this.delays = new long[records];
        this.keys = keys;
        if (slow) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < records; i++) {
                delays[i] = random.nextLong(MAX_DELAY_NANOS + 1);
            }
        }
        keyBytes = new byte[keys][];
        for (int k = 0; k < keys; k++) {
            keyBytes[k] = ("key-" + k).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** How many input records. */
    int size() {
        return delays.length;
    }

    /** The key space. */
    int keys() {
        return keys;
    }

    /** The input record at {@code index}. */
    ProducerRecord<byte[], byte[]> record(String topic, int index) {
        ByteBuffer value = ByteBuffer.allocate(BenchSettings.VALUE_BYTES);
        value.putLong(0, delays[index]);
        return new ProducerRecord<>(topic, index % PARTITIONS, keyBytes[index % keys], value.array());
    }

    /**
     * What every contender's handler does with an input record: waits its simulated I/O (without a CPU, as a thread
     * blocked on a socket would), then makes its output.
     *
     * @param topic the output topic
     * @param input the input record
     * @return the one output record of {@code input}
     */
    static ProducerRecord<byte[], byte[]> handle(String topic, ConsumerRecord<byte[], byte[]> input) {
        long delay = ByteBuffer.wrap(input.value()).getLong(0);
        if (delay > 0) {
            waitFor(delay);
        }
        return output(topic, input);
    }

    /** The output of {@code input}: its key; a value with the input's partition and offset first, then the input's bytes. */
    static ProducerRecord<byte[], byte[]> output(String topic, ConsumerRecord<byte[], byte[]> input) {
        byte[] value = new byte[BenchSettings.VALUE_BYTES];
        ByteBuffer.wrap(value).putInt(input.partition()).putLong(input.offset());
        System.arraycopy(input.value(), 12, value, 12, Math.min(input.value().length, value.length) - 12);
        return new ProducerRecord<>(topic, input.key(), value);
    }

    /** The input partition an output value names. */
    static int inputPartition(byte[] outputValue) {
        return ByteBuffer.wrap(outputValue).getInt(0);
    }

    /** The input offset an output value names. */
    static long inputOffset(byte[] outputValue) {
        return ByteBuffer.wrap(outputValue).getLong(4);
    }

    /** The sum of all delays: what one thread handling every record would wait. */
    long totalNanos() {
        return DelayChains.totalNanos(delays);
    }

    /**
     * The least wall time of a contender that handles at most {@code concurrency} records at once: all the simulated
     * I/O spread evenly over its threads, or the longest chain of records that must run one after another (one
     * partition's for a partition-serial contender, one key's within a partition for a key-ordered one), whichever
     * is longer.
     */
    double lowerBoundSeconds(int concurrency, boolean keyOrdered) {
        long longest = DelayChains.longestChainNanos(delays, PARTITIONS, keyOrdered ? keys : 0);
        return Math.max(longest, totalNanos() / (double) concurrency) / 1e9;
    }

    /** Parks until {@code nanos} have passed; parkNanos may return early, so it parks again for the rest. */
    static void waitFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
