package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DemandTest {

    private final TopicPartition p0 = new TopicPartition("t", 0);

    @Test
    void aGetForAllPartitionsCountsAndEndsChoosing() {
        Demand demand = Demand.NONE.after(List.of(p0)).after(List.of());

        assertThat(demand).isEqualTo(new Demand(false, 1));
        assertThat(demand.after(List.of())).isEqualTo(new Demand(false, 2));
    }

    @Test
    void aGetForChosenPartitionsChoosesWithoutCounting() {
        Demand demand = new Demand(false, 4).after(List.of(p0));

        assertThat(demand).isEqualTo(new Demand(true, 4));
        assertThat(demand.after(List.of(p0))).isSameAs(demand);
    }

    @Test
    void partitionsAreParkedOnlyWhileTheApplicationChoosesAndOnlyThoseHoldingRecordsNobodyAskedFor() {
        FetchPlanTest.State unasked = FetchPlanTest.State.of(p0, 10).withUnaskedRecords();
        FetchPlanTest.State asked = FetchPlanTest.State.of(p0, 10);

        assertThat(new Demand(true, 3).parks(unasked)).isTrue();
        assertThat(new Demand(true, 4).parks(unasked)).as("a get for all came since the records did").isFalse();
        assertThat(new Demand(false, 3).parks(unasked)).isFalse();
        assertThat(new Demand(true, 3).parks(asked)).isFalse();
    }
}
