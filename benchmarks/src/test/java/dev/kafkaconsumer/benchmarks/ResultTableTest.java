package dev.kafkaconsumer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    private static final long SECOND = 1_000_000_000L;

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.1.2", Instant.EPOCH, "0.00 0.00 0.00");

    @Test
    void medianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheTwoMiddleOnes() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void ratiosArePairedRunByRunNotMedianOverMedian() {
        // raw 100, 200, 400 records/s; engine 90, 210, 300: pairwise 0.9, 1.05, 0.75 -> median 0.9
        Map<String, List<DrainTiming>> runs = Map.of(
                BenchSettings.RAW, List.of(timing(100), timing(200), timing(400)),
                BenchSettings.ENGINE, List.of(timing(90), timing(210), timing(300)));
        ResultTable table = new ResultTable(settings(List.of("raw", "engine")), machine, runs);

        assertThat(table.medianRatio()).isCloseTo(0.9, Offset.offset(1e-9));
        assertThat(table.toMarkdown())
                .contains("median of 3 pairwise ratios: 0.900")
                .contains("**not met**")
                .contains("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b1 -Dbench.records=100 -Dbench.runs=3");
        assertThat(table.headlines()).singleElement().satisfies(headline -> {
            assertThat(headline.benchCase()).isEqualTo("b1");
            assertThat(headline.value()).isCloseTo(0.9, Offset.offset(1e-9));
            assertThat(headline.targetText()).isEqualTo("≥ 0.950");
            assertThat(headline.met()).isFalse();
        });
    }

    @Test
    void aSingleContenderHasNoRatio() {
        ResultTable table = new ResultTable(settings(List.of("engine")), machine,
                Map.of(BenchSettings.ENGINE, List.of(timing(100))));

        assertThat(table.medianRatio()).isNaN();
        assertThat(table.headlines()).isEmpty();
        assertThat(table.toMarkdown()).doesNotContain("pairwise").contains("-Dbench.contenders=engine");
    }

    @Test
    void rejectsUnknownContenders() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(List.of("raw", "spring")))
                .withMessageContaining("bench.contenders");
    }

    private static BenchSettings settings(List<String> contenders) {
        return new BenchSettings(100, 3, contenders, Path.of("unused.md"));
    }

    /** A drain of 100 records at the given rate, with no join time. */
    private static DrainTiming timing(double recordsPerSecond) {
        long nanos = (long) (100 * SECOND / recordsPerSecond);
        return new DrainTiming(100, 100 * BenchSettings.VALUE_BYTES, nanos, 0, nanos);
    }
}
