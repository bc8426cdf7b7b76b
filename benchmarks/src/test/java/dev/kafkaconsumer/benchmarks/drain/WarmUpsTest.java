package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WarmUpsTest {

    private static final String PROPERTY = "bench.warmups";

    @AfterEach
    void clearProperty() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void oneWarmUpDrainByDefaultAndTheTopicSentenceSaysSo() {
        assertThat(DrainBenchmark.warmUps()).isOne();
        assertThat(DrainTables.topic(DrainBenchmark.B2.with(100, 5, List.of("raw", "container"))))
                .contains("One warm-up drain per contender, then 5 measured drains each");
    }

    @Test
    void moreWarmUpDrainsWhenAskedAndTheTopicSentenceCountsThem() {
        System.setProperty(PROPERTY, "3");

        assertThat(DrainBenchmark.warmUps()).isEqualTo(3);
        assertThat(DrainTables.topic(DrainBenchmark.B2.with(100, 5, List.of("raw", "container"))))
                .contains("3 warm-up drains per contender, then 5 measured drains each");
    }

    @Test
    void aCountBelowOneIsRefusedNamingTheProperty() {
        System.setProperty(PROPERTY, "0");

        assertThatIllegalArgumentException().isThrownBy(DrainBenchmark::warmUps).withMessageContaining("bench.warmups is 0");
    }
}
