package dev.kafkaconsumer.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheTwoMiddleOnes() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void theSpreadOfNoValuesIsNotMeasuredAndNaNCanBeLeftOut() {
        assertThat(Stats.spread(new double[] {0.5, 0.2, 0.9})).isEqualTo(new Stats.Spread(0.5, 0.2, 0.9));
        assertThat(Stats.spread(new double[0])).isEqualTo(new Stats.Spread(Double.NaN, Double.NaN, Double.NaN));
        assertThat(Stats.measured(new double[] {1, Double.NaN, 3})).containsExactly(1, 3);
    }

    @Test
    void valuesArePairedRunByRunAsFarAsBothSidesRan() {
        assertThat(Stats.ratios(new double[] {90, 210, 300, 7}, new double[] {100, 200, 400}))
                .containsExactly(new double[] {0.9, 1.05, 0.75}, Offset.offset(1e-9));
        assertThat(Stats.pairwise(new double[] {5, 3}, new double[] {2, 4}, (a, b) -> a - b)).containsExactly(3, -1);
        assertThat(Stats.values(List.of("a", "bbb"), String::length)).containsExactly(1, 3);
    }
}
