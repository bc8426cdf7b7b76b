package dev.kafkaconsumer.benchmarks.slow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.slow.SlowRunPlan.SlowRun;

class SlowRunPlanTest {

    private static final String CONTAINER = SlowRunPlan.CONTAINER;
    private static final String SPRING = SlowRunPlan.SPRING;
    private static final String PC = SlowRunPlan.PARALLEL_CONSUMER;

    private final SlowRunPlan plan = new SlowRunPlan(List.of(CONTAINER, SPRING, PC), List.of(1, 6), List.of(1, 10, 100, 10_000),
            20_000, 5, 1);

    @Test
    void springRunsOncePerPartitionCountOnTheTopicOfTheLargestKeySpace() {
        assertThat(plan.entries()).filteredOn(run -> run.contender().equals(SPRING))
                .containsExactly(new SlowRun(SPRING, 1, 10_000), new SlowRun(SPRING, 6, 10_000));
        assertThat(plan.entries()).hasSize(2 + 2 * 4 * 2);
    }

    @Test
    void onlyRunsThatCanNeverHaveTwoRecordsInFlightAreSerialBound() {
        assertThat(plan.entries()).filteredOn(plan::serialBound)
                .containsExactlyInAnyOrder(new SlowRun(CONTAINER, 1, 1), new SlowRun(PC, 1, 1), new SlowRun(SPRING, 1, 10_000));
        assertThat(new SlowRun(CONTAINER, 6, 1).parallelismBound(20_000)).isEqualTo(6);
        assertThat(new SlowRun(CONTAINER, 6, 10).parallelismBound(20_000)).isEqualTo(30);
        assertThat(new SlowRun(PC, 6, 10_000).parallelismBound(20_000)).isEqualTo(SlowRunPlan.CONCURRENCY);
        assertThat(new SlowRun(SPRING, 6, 10_000).parallelismBound(20_000)).isEqualTo(6);
    }

    @Test
    void theTargetedCellsAndSpringsBaselineRunInEveryRoundAndTheOthersOnlyInTheFirst() {
        List<List<SlowRun>> rounds = plan.rounds();
        List<SlowRun> everyRound = List.of(new SlowRun(SPRING, 6, 10_000),
                new SlowRun(CONTAINER, 1, 100), new SlowRun(PC, 1, 100), new SlowRun(CONTAINER, 1, 10_000), new SlowRun(PC, 1, 10_000),
                new SlowRun(CONTAINER, 6, 100), new SlowRun(PC, 6, 100), new SlowRun(CONTAINER, 6, 10_000), new SlowRun(PC, 6, 10_000));

        assertThat(rounds).hasSize(5);
        assertThat(rounds.get(0)).containsExactlyElementsOf(plan.entries());
        for (List<SlowRun> round : rounds.subList(1, 5)) {
            assertThat(round).containsExactlyInAnyOrderElementsOf(everyRound);
        }
        assertThat(plan.runsOf(new SlowRun(SPRING, 1, 10_000))).as("serial-bound, though targeted").isEqualTo(1);
        assertThat(plan.runsOf(new SlowRun(CONTAINER, 6, 10))).as("no target").isEqualTo(1);
        assertThat(rounds.get(1)).as("contenders alternate within a cell")
                .containsSubsequence(new SlowRun(CONTAINER, 1, 100), new SlowRun(PC, 1, 100));
    }

    @Test
    void eachContenderWarmsUpOnceOnTheQuickestTopic() {
        assertThat(plan.warmUps()).containsExactly(new SlowRun(CONTAINER, 6, 10_000), new SlowRun(SPRING, 6, 10_000),
                new SlowRun(PC, 6, 10_000));
    }

    @Test
    void theDefaultPlanHandlesForAtMostFiveMinutesSoThatB3FitsItsTenMinuteBudget() {
        SlowRecords delays = new SlowRecords(SlowRecords.DEFAULT_SEED, 20_000);

        // two serial runs of ~50 s (container and Parallel Consumer, 1 key on 1 partition) and Spring's on 1 partition
        assertThat(plan.lowerBoundSeconds(delays)).isBetween(150.0, 300.0);
    }
}
