package dev.kafkaconsumer.benchmarks.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.rebalance.RebalanceTable.Setup;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class RebalanceTableTest {

    private static final Set<Integer> UNMOVED = new TreeSet<>(List.of(0, 1, 2));

    /*
     * The committed B6 result prints its runs rounded; its headline ratios come from unrounded medians. These medians
     * print as the file does and divide to the ratios of its ratio file.
     */
    private static final double EAGER_RECOVERY = 0.4915;
    private static final double COOPERATIVE_RECOVERY = 1.998771 * EAGER_RECOVERY;
    private static final double CONSUMER_RECOVERY = 2.498644 * EAGER_RECOVERY;
    private static final double EAGER_GAP = 26;
    private static final double COOPERATIVE_GAP = 0.476025 * EAGER_GAP;
    private static final double CONSUMER_GAP = 0.572188 * EAGER_GAP;

    @TempDir
    Path results;

    @Test
    void theCommittedResultIsWhatItsRunsRenderByteForByte() {
        List<Setup> setups = new ArrayList<>();
        Map<Setup, List<RebalanceRun>> runs = new LinkedHashMap<>();
        // per set-up, each run: s back to full rate, longest gap on unmoved partitions, longest gap before the join
        committed(setups, runs, new Setup("container", RebalanceProtocol.EAGER), new double[][] {
                {0.50, 28, 15}, {0.51, 28, 11}, {0.48, EAGER_GAP, 21}, {EAGER_RECOVERY, 21, 10}, {EAGER_RECOVERY, 18, 15}});
        committed(setups, runs, new Setup("container", RebalanceProtocol.COOPERATIVE), new double[][] {
                {0.99, 15, 12}, {COOPERATIVE_RECOVERY, COOPERATIVE_GAP, 11}, {0.99, 12.4, 10}, {COOPERATIVE_RECOVERY, 11, 15},
                {COOPERATIVE_RECOVERY, 10, 8}});
        committed(setups, runs, new Setup("container", RebalanceProtocol.CONSUMER), new double[][] {
                {1.42, CONSUMER_GAP, 12}, {CONSUMER_RECOVERY, 35, 9}, {CONSUMER_RECOVERY, 13, 10}, {1.24, 15, 8}, {0.62, 12, 7}});
        committed(setups, runs, new Setup("raw", RebalanceProtocol.EAGER), new double[][] {
                {0.48, 22, 16}, {0.49, 22, 9}, {0.49, 23, 9}, {0.48, 17, 8}, {0.48, 16, 9}});
        committed(setups, runs, new Setup("raw", RebalanceProtocol.COOPERATIVE), new double[][] {
                {1.01, 9, 51}, {0.99, 20, 8}, {0.99, 41, 41}, {0.99, 11, 8}, {0.98, 10, 10}});
        committed(setups, runs, new Setup("raw", RebalanceProtocol.CONSUMER), new double[][] {
                {1.32, 22, 9}, {1.91, 10, 9}, {0.81, 9, 8}, {1.31, 8, 9}, {0.91, 9, 8}});
        MachineDescription measured = Golden.committed("6.18.44-fc-v1098", "2026-12-03T13:16:39Z", "1.21 1.08 1.47",
                "0.48 0.91 1.35", "b6");

        Golden.Written written = Golden.write(new RebalanceTable(setups, runs, measured, 5, 181).report(), results, "b6-rebalance.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("committed/b6-rebalance.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("committed/b6-ratios.tsv"));
    }

    private static void committed(List<Setup> setups, Map<Setup, List<RebalanceRun>> runs, Setup setup, double[][] measured) {
        setups.add(setup);
        List<RebalanceRun> list = new ArrayList<>();
        for (double[] run : measured) {
            list.add(new RebalanceRun(run[0], run[1], run[2], 3, UNMOVED));
        }
        runs.put(setup, list);
    }

    @Test
    void rendersWhatTheCodeBeforeThePackagesRenderedWithUnmeasuredAndMissingRuns() {
        List<Setup> setups = everySetup();

        Golden.Written written = Golden.write(new RebalanceTable(setups, synthetic(setups), Golden.MACHINE, 3, 123.4).report(),
                results, "b6-rebalance.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b6-synthetic.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b6-synthetic-ratios.tsv"));
    }

    @Test
    void aRunWithoutContainersRendersAsBeforeAndLeavesTheContainersRatiosAlone() {
        List<Setup> setups = everySetup();
        Map<Setup, List<RebalanceRun>> all = synthetic(setups);
        List<Setup> raw = setups.subList(3, 6);
        Map<Setup, List<RebalanceRun>> rawRuns = new LinkedHashMap<>();
        raw.forEach(setup -> rawRuns.put(setup, all.get(setup)));

        Golden.Written written = Golden.write(new RebalanceTable(raw, rawRuns, Golden.MACHINE, 5, 60).report(), results, "b6-rebalance.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b6-raw-only.md"));
        assertThat(written.ratios()).isNull();
    }

    private static List<Setup> everySetup() {
        List<Setup> setups = new ArrayList<>();
        for (String members : List.of("container", "raw", "engine")) {
            for (RebalanceProtocol protocol : RebalanceProtocol.values()) {
                setups.add(new Setup(members, protocol));
            }
        }
        return setups;
    }

    /** Three runs of each set-up (two of the engine's), one recovery and one gap not measured, one run moving two partitions. */
    private static Map<Setup, List<RebalanceRun>> synthetic(List<Setup> setups) {
        Map<Setup, List<RebalanceRun>> runs = new LinkedHashMap<>();
        int i = 0;
        for (Setup setup : setups) {
            i++;
            List<RebalanceRun> measured = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                if (setup.members().equals("engine") && r == 2) {
                    continue;
                }
                double recovery = i == 2 && r == 1 ? Double.NaN : 0.4 + i * 0.1 + r * 0.013;
                double gap = i == 5 && r == 0 ? Double.NaN : 10 + i * 3.3 + r * 2.7;
                measured.add(new RebalanceRun(recovery, gap, 8 + r * 1.6 + i, r == 1 && i == 3 ? 2 : 3, UNMOVED));
            }
            runs.put(setup, measured);
        }
        return runs;
    }
}
