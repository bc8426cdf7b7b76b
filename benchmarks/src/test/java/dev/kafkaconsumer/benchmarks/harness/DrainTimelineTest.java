package dev.kafkaconsumer.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DrainTimelineTest {

    @Test
    void eachLineGivesAPartitionsRecordsPerStepFromCumulativeSamples() {
        List<long[]> samples = List.of(new long[] {0, 0}, new long[] {5, 0}, new long[] {5, 3}, new long[] {9, 3});

        String report = DrainTimeline.render("worker-1", samples, 2);

        assertThat(report).isEqualTo("""
                timeline worker-1 (records per 50 ms, by partition):
                  p0: 0 5 0 4
                  p1: 0 0 3 0
                """);
    }

    @Test
    void isOffUnlessAskedFor() {
        assertThat(DrainTimeline.startIfOn(2, partition -> 0)).isNull();
    }
}
