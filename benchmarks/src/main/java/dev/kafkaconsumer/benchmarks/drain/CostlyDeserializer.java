package dev.kafkaconsumer.benchmarks.drain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * B10's value deserializer: a stand-in for one that costs CPU (JSON into records, say), as issue 17 proposes it,
 * {@value #ROUNDS} rounds of SHA-256 over the value, each with the digest of the round before in its first bytes
 * (a few microseconds for a 100-byte value; {@link #nanosPerRecord} measures it). It returns that copy of the value,
 * so that the work cannot be skipped by the JIT and the value keeps its length (the drains check the bytes they read). Thread-safe, with a digest per thread: our container calls one instance from all its workers.
 */
final class CostlyDeserializer implements Deserializer<byte[]> {

    /** SHA-256 rounds per value. */
    static final int ROUNDS = 20;

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM; every Java platform must have it", e);
        }
    });

    /** Where {@link #nanosPerRecord} leaves what it computed, so that the JIT cannot drop its loop. */
    private static volatile long sunk;

    @Override
    public byte[] deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        MessageDigest sha = SHA_256.get();
        byte[] value = data.clone();
        for (int round = 0; round < ROUNDS; round++) {
            // each round hashes the 100 bytes with the digest before in their first bytes: a chain the JIT cannot skip
            byte[] digest = sha.digest(value);
            System.arraycopy(digest, 0, value, 0, Math.min(digest.length, value.length));
        }
        return value;
    }

    /**
     * What one call costs on this machine, on one thread: the median of 5 timed batches of {@code values} calls, after
     * one batch to warm up. For the result file, so that its reader can set the throughput against the decoding alone.
     *
     * @param valueBytes the value's length
     * @param values     calls per batch
     * @return nanoseconds per call
     */
    static double nanosPerRecord(int valueBytes, int values) {
        CostlyDeserializer deserializer = new CostlyDeserializer();
        byte[] value = new byte[valueBytes];
        long sink = 0;
        double[] batches = new double[6];
        for (int batch = 0; batch < batches.length; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < values; i++) {
                value[i % valueBytes]++;
                sink += deserializer.deserialize("b10", value)[0];
            }
            batches[batch] = (System.nanoTime() - start) / (double) values;
        }
        sunk = sink;
        double[] timed = Arrays.copyOfRange(batches, 1, batches.length);
        Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
