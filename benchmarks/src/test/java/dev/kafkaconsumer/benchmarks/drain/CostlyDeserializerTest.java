package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class CostlyDeserializerTest {

    private final CostlyDeserializer deserializer = new CostlyDeserializer();

    @Test
    void aValueKeepsItsLengthAndGetsTheSameDigestEveryTimeWithoutTouchingTheInput() {
        byte[] data = new byte[100];
        data[99] = 7;

        byte[] first = deserializer.deserialize("t", data);
        byte[] second = new CostlyDeserializer().deserialize("t", data.clone());

        assertThat(first).hasSize(100).isEqualTo(second).isNotEqualTo(data);
        assertThat(data).containsOnly(0, 7);
        assertThat(first[99]).isEqualTo((byte) 7);
    }

    @Test
    void twoValuesThatDifferInTheirLastByteDifferInTheirDigest() {
        byte[] one = new byte[100];
        byte[] other = new byte[100];
        other[99] = 1;

        assertThat(java.util.Arrays.copyOf(deserializer.deserialize("t", one), 32))
                .isNotEqualTo(java.util.Arrays.copyOf(deserializer.deserialize("t", other), 32));
    }

    @Test
    void aNullValueStaysNull() {
        assertThat(deserializer.deserialize("t", null)).isNull();
    }

    @Test
    void oneInstanceCalledFromManyThreadsAtOnceGivesEachTheSameAnswerAsOneThread() throws Exception {
        byte[] data = new byte[100];
        data[0] = 3;
        byte[] expected = deserializer.deserialize("t", data);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!java.util.Arrays.equals(deserializer.deserialize("t", data), expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void itsCostPerValueIsMeasuredAsAPositiveNumberOfNanoseconds() {
        assertThat(CostlyDeserializer.nanosPerRecord(100, 200)).isPositive();
    }
}
