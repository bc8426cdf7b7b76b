package dev.kafkaconsumer.benchmarks.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.share.ShareSlowBenchmark.Cell;

class ShareSlowTableTest {

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.3.1", Instant.EPOCH, "0.00 0.00 0.00");
    private final ShareSlowRecords delays = new ShareSlowRecords(6, 100, 10);

    @TempDir
    Path results;

    @Test
    void everyContenderIsSetAgainstOneShareContainerPairByPairWithinTheRoundsOfItsConcurrency() {
        Map<Cell, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put(new Cell("share", 6), wall(2, 4));
        runs.put(new Cell("key", 6), wall(3, 4));
        runs.put(new Cell("spring", 6), wall(10, 40));
        ShareSlowTable table = new ShareSlowTable(ShareSlowBenchmark.DEFAULTS.with(100, 2, List.of("share", "key", "spring")),
                machine, List.of(6), delays, 6, runs);

        assertThat(table.overShare("spring", 6)).containsExactly(new double[] {5, 10}, Offset.offset(1e-9));
        String markdown = table.report().toMarkdown();
        assertThat(markdown)
                .contains("| `ConsumerContainer`, KEY ordering, concurrency 6 (`key`) | 3.50 | 3.00–4.00 | ")
                .contains(" | **1.250** (1.000–1.500) | ")
                .contains("| Spring Kafka `ShareKafkaMessageListenerContainer`, concurrency 6 (`spring`) | 25.00 | 10.00–40.00 | ")
                .contains(" | **7.500** (5.000–10.000) | ")
                .contains("-Dbench.case=b9-slow -Dbench.records=100 -Dbench.runs=2 -Dbench.contenders=share,key,spring "
                        + "-Dbench.concurrency=6\n");
        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::targetText)
                .containsExactly(
                        tuple("Spring share container wall / share container wall, 1 partition, concurrency 6", 7500L, "—"),
                        tuple("KEY-ordered container wall / share container wall, 1 partition, concurrency 6", 1250L, "—"));
    }

    @Test
    void theLowerBoundIsTheWorkOverTheThreadsAndForKeyOrderTheLongestKeyIfLonger() {
        double total = delays.totalNanos() / 1e9;

        assertThat(delays.lowerBoundSeconds(4, false)).isCloseTo(total / 4, Offset.offset(1e-12));
        // 100 records over 10 keys: each key's 10 records one after another, longer than the work over 100 threads
        assertThat(delays.lowerBoundSeconds(100, true)).isCloseTo(delays.longestKeyChainNanos() / 1e9, Offset.offset(1e-12))
                .isGreaterThan(total / 100);
        assertThat(delays.lowerBoundSeconds(100, false)).isCloseTo(total / 100, Offset.offset(1e-12));
    }

    @Test
    void rendersTheSyntheticRunsAsTheGoldenFileSays() {
        Map<Cell, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put(new Cell("share", 6), wall(0.10, 0.12));
        runs.put(new Cell("share-x3", 6), wall(0.11, 0.13));
        runs.put(new Cell("key", 6), wall(0.10, 0.11));
        runs.put(new Cell("spring", 6), wall(0.30, 0.28));
        runs.put(new Cell("share", 24), wall(0.04, 0.05));
        runs.put(new Cell("share-x3", 24), wall(0.05, 0.05));
        runs.put(new Cell("key", 24), wall(0.04, 0.06));
        runs.put(new Cell("spring", 24), wall(0.20, 0.22));

        Golden.Written written = Golden.write(new ShareSlowTable(ShareSlowBenchmark.DEFAULTS.with(100, 2,
                List.of("share", "share-x3", "key", "spring")), Golden.MACHINE, List.of(6, 24), delays, 6, runs).report(),
                results, "b9-share-slow-handler.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("synthetic/b9-share-slow-handler.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("synthetic/b9-slow-ratios.tsv"));
    }

    /** Runs of the given wall seconds, with CPU figures. */
    private static List<DrainTiming> wall(double... seconds) {
        return Arrays.stream(seconds).mapToObj(s -> new DrainTiming(100, 100 * 100, (long) (s * 1e9), 1, (long) (s * 0.9e9),
                (long) (s * 0.5e9), (long) (s * 0.2e9))).toList();
    }
}
