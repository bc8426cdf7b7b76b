package dev.kafkaconsumer.benchmarks.rebalance;

import static dev.kafkaconsumer.benchmarks.rebalance.RebalanceAnalysis.FIRST;
import static dev.kafkaconsumer.benchmarks.rebalance.RebalanceAnalysis.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.rebalance.RebalanceAnalysis.Handled;

class RebalanceAnalysisTest {

    private static final long MS = 1_000_000L;
    private static final long JOIN = 10_000 * MS;
    private static final double RATE = 6_000;

    /** 6 partitions, one record each per partition every millisecond: 6,000 records/s, owned as {@code owner} says. */
    private static void stream(List<Handled> events, long fromMs, long toMs, int[] owner) {
        for (long t = fromMs; t < toMs; t++) {
            for (int p = 0; p < owner.length; p++) {
                if (owner[p] >= 0) {
                    events.add(new Handled(owner[p], p, t * MS));
                }
            }
        }
    }

    @Test
    void anEagerRebalancePausesEveryPartitionAndTheUnmovedOnesShowThePause() {
        List<Handled> events = new ArrayList<>();
        stream(events, 7_000, 10_200, new int[] {FIRST, FIRST, FIRST, FIRST, FIRST, FIRST});
        // nobody handles anything from 10.2 s to 11.0 s, then three partitions move
        stream(events, 11_000, 14_000, new int[] {FIRST, FIRST, FIRST, SECOND, SECOND, SECOND});

        RebalanceAnalysis analysis = new RebalanceAnalysis(events, JOIN, RATE);

        assertThat(analysis.unmovedPartitions()).containsExactly(0, 1, 2);
        assertThat(analysis.movedPartitions()).isEqualTo(3);
        assertThat(analysis.recoveryNanos()).hasValue(1_000 * MS);
        assertThat(analysis.unmovedGapNanos()).isEqualTo(801 * MS);
        assertThat(analysis.baselineGapNanos()).isEqualTo(1 * MS);
    }

    @Test
    void aCooperativeRebalanceKeepsTheUnmovedPartitionsFlowingWhileTheMovedOnesPause() {
        List<Handled> events = new ArrayList<>();
        stream(events, 7_000, 10_500, new int[] {FIRST, FIRST, FIRST, FIRST, FIRST, FIRST});
        stream(events, 10_500, 11_500, new int[] {FIRST, FIRST, FIRST, -1, -1, -1});
        stream(events, 11_500, 14_000, new int[] {FIRST, FIRST, FIRST, SECOND, SECOND, SECOND});

        RebalanceAnalysis analysis = new RebalanceAnalysis(events, JOIN, RATE);

        assertThat(analysis.unmovedGapNanos()).isEqualTo(1 * MS);
        assertThat(analysis.recoveryNanos()).hasValue(1_500 * MS);
        assertThat(analysis.longestGapNanos(Set.of(3), JOIN, 12_000 * MS)).isEqualTo(1_001 * MS);
    }

    @Test
    void theGroupIsNotBackAtFullRateWhileOneMemberIsIdleOrTheRateIsBelowNinetyPercent() {
        List<Handled> events = new ArrayList<>();
        // the first member alone at full rate: the second is idle
        stream(events, 7_000, 12_000, new int[] {FIRST, FIRST, FIRST, FIRST, FIRST, FIRST});
        // both members process, but at a third of the rate
        stream(events, 12_000, 14_000, new int[] {FIRST, -1, -1, SECOND, -1, -1});
        assertThat(new RebalanceAnalysis(events, JOIN, RATE).recoveryNanos()).isEmpty();

        stream(events, 14_000, 15_000, new int[] {FIRST, FIRST, FIRST, SECOND, SECOND, SECOND});
        // the first window at 90 % of the rate starts a little before 14 s, where the full-rate records begin
        assertThat(new RebalanceAnalysis(events, JOIN, RATE).recoveryNanos().orElseThrow() / 1e6)
                .isCloseTo(4_000, Offset.offset(RebalanceAnalysis.WINDOW_MILLIS * 0.2));
    }

    @Test
    void aRunWhereTheRateNeverRecoversHasNoRecovery() {
        List<Handled> events = new ArrayList<>();
        stream(events, 7_000, 10_000, new int[] {FIRST, FIRST, FIRST, FIRST, FIRST, FIRST});
        stream(events, 10_000, 14_000, new int[] {FIRST, -1, -1, SECOND, -1, -1});

        assertThat(new RebalanceAnalysis(events, JOIN, RATE).recoveryNanos()).isEmpty();
    }
}
