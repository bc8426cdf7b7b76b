package dev.kafkaconsumer.benchmarks.rebalance;

import java.util.Locale;
import java.util.Set;

/**
 * The outcome of one B6 run.
 *
 * @param recoverySeconds  from the join until the group is back at full rate with both members; NaN if it never was
 * @param unmovedGapMillis the longest pause on a partition that stayed with the first member
 * @param baselineGapMillis the longest pause on any partition in the two seconds before the join
 * @param moved            how many partitions the second member took
 * @param unmoved          the partitions that stayed
 */
record RebalanceRun(double recoverySeconds, double unmovedGapMillis, double baselineGapMillis, int moved, Set<Integer> unmoved) {

    static RebalanceRun of(RebalanceAnalysis analysis) {
        return new RebalanceRun(analysis.recoveryNanos().isPresent() ? analysis.recoveryNanos().getAsLong() / 1e9 : Double.NaN,
                analysis.unmovedPartitions().isEmpty() ? Double.NaN : analysis.unmovedGapNanos() / 1e6,
                analysis.baselineGapNanos() / 1e6, analysis.movedPartitions(), analysis.unmovedPartitions());
    }

    String describe() {
        return String.format(Locale.ROOT, "back at full rate after %.2f s; longest gap on unmoved partitions %s %.0f ms "
                + "(before the join: %.0f ms); %d partitions moved", recoverySeconds, unmoved, unmovedGapMillis, baselineGapMillis, moved);
    }
}
