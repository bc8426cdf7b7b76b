package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.reliability.ExactlyOnceChecker.Output;

/**
 * The exactly-once checker on synthetic outputs: input sequences 0 to 7 on 2 partitions (even ones on partition 0), four
 * keys (sequence {@code s} has key {@code k<s % 4>}, so each key stays in one partition), each output written to the
 * partition of its input. One clean run, then one run per anomaly.
 */
class ExactlyOnceCheckerTest {

    private static final List<Long> ACKNOWLEDGED = LongStream.range(0, 8).boxed().toList();

    /** The outputs of inputs 0..7 in order: sequence s is on partition s % 2 at offset s / 2, key k(s % 4). */
    private static List<Output> inOrder() {
        List<Output> outputs = new ArrayList<>();
        long[] next = new long[2];
        for (long sequence = 0; sequence < 8; sequence++) {
            outputs.add(output(sequence, next[(int) (sequence % 2)]++));
        }
        return outputs;
    }

    private static Output output(long sequence, long outputOffset) {
        int partition = (int) (sequence % 2);
        return new Output(partition, outputOffset, "k" + sequence % 4, sequence, partition, sequence / 2);
    }

    @Test
    void everyInputOnceAndInKeyOrderIsExactlyOnce() {
        ExactlyOnceResult result = ExactlyOnceChecker.check(inOrder(), ACKNOWLEDGED, List.of());

        assertThat(result.counts()).isEqualTo(new CheckResult(8, 8, 0, 0, 0, 0, 0));
        assertThat(result.outOfKeyOrder()).isZero();
        assertThat(result.keys()).isEqualTo(4);
        assertThat(result.exactlyOnce()).isTrue();
    }

    @Test
    void anAcknowledgedInputWithoutOutputIsLost() {
        List<Output> outputs = inOrder();
        outputs.remove(5);

        ExactlyOnceResult result = ExactlyOnceChecker.check(outputs, ACKNOWLEDGED, List.of());

        assertThat(result.counts().lost()).isEqualTo(1);
        assertThat(result.counts().skipped()).isEqualTo(1);
        assertThat(result.exactlyOnce()).isFalse();
    }

    @Test
    void anInputWithTwoOutputsIsDuplicatedNotOutOfOrder() {
        List<Output> outputs = inOrder();
        outputs.add(output(6, 4));

        ExactlyOnceResult result = ExactlyOnceChecker.check(outputs, ACKNOWLEDGED, List.of());

        assertThat(result.counts().duplicated()).isEqualTo(1);
        assertThat(result.counts().lost()).isZero();
        assertThat(result.outOfKeyOrder()).isZero();
        assertThat(result.exactlyOnce()).isFalse();
    }

    @Test
    void aKeysOutputsSwappedAreOutOfKeyOrder() {
        // sequences 0 and 4 share key k0 and partition 0; written the wrong way round
        List<Output> outputs = new ArrayList<>(List.of(output(4, 0), output(0, 1)));
        inOrder().stream().filter(output -> output.sequence() != 0 && output.sequence() != 4).forEach(outputs::add);

        ExactlyOnceResult result = ExactlyOnceChecker.check(outputs, ACKNOWLEDGED, List.of());

        assertThat(result.outOfKeyOrder()).isEqualTo(1);
        assertThat(result.counts().lost()).isZero();
        assertThat(result.counts().duplicated()).isZero();
        assertThat(result.exactlyOnce()).isFalse();
    }

    @Test
    void differentKeysOfAPartitionMayComeOutInAnyOrder() {
        // k0 (sequence 0) and k2 (sequence 2) on partition 0: 2 before 0 is fine for each key
        List<Output> outputs = new ArrayList<>(List.of(output(2, 0), output(0, 1)));
        inOrder().stream().filter(output -> output.sequence() != 0 && output.sequence() != 2).forEach(outputs::add);

        ExactlyOnceResult result = ExactlyOnceChecker.check(outputs, ACKNOWLEDGED, List.of());

        assertThat(result.outOfKeyOrder()).isZero();
        assertThat(result.counts().nonMonotonic()).isPositive();
        assertThat(result.exactlyOnce()).isTrue();
    }

    @Test
    void aTransactionCommittingAboveAnUnhandledRecordBreaksTheRule() {
        List<List<String>> transformer = List.of(List.of("assigned 0", "processed input 0 0 0", "processed input 0 2 4",
                "committed 0 3"));

        ExactlyOnceResult result = ExactlyOnceChecker.check(inOrder(), ACKNOWLEDGED, transformer);

        assertThat(result.counts().commitsAboveUnprocessed()).isEqualTo(1);
        assertThat(result.exactlyOnce()).isFalse();
    }

    @Test
    void anOutputValueIsReadBackAsWritten() {
        Output output = Output.parse(3, 17, "k5", Output.value(42, 1, 9));

        assertThat(output).isEqualTo(new Output(3, 17, "k5", 42, 1, 9));
        assertThatIllegalArgumentException().isThrownBy(() -> Output.parse(0, 1, "k", "42"))
                .withMessageContaining("offset 1 of partition 0");
    }
}
