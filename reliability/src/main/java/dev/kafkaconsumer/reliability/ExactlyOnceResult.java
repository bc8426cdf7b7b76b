package dev.kafkaconsumer.reliability;

/**
 * The counts of a consume-transform-produce run ({@link ExactlyOnceChecker}).
 *
 * @param counts        {@link Checker}'s counts over the output: lost and duplicated inputs, input offsets that go
 *                      back ({@code nonMonotonic}) or jump ({@code skipped}) within one output partition; and the
 *                      transactions that committed an input offset above a record their process had not handled
 *                      ({@code commitsAboveUnprocessed}, from the transformers' event logs)
 * @param outOfKeyOrder outputs whose input sequence is below an earlier output of the same key in the same output
 *                      partition
 * @param keys          distinct keys in the output
 */
public record ExactlyOnceResult(CheckResult counts, long outOfKeyOrder, long keys) {

    /**
     * Whether every acknowledged input came out exactly once, each key in order, and no transaction passed an
     * unhandled record. Offsets that go back or jump within a partition are not part of it: a KEY-ordered
     * container may finish (and so write) one partition's keys in any order among each other.
     *
     * @return true for an exactly-once run
     */
    public boolean exactlyOnce() {
        return counts.lost() == 0 && counts.duplicated() == 0 && outOfKeyOrder == 0 && counts.commitsAboveUnprocessed() == 0;
    }
}
