package dev.kafkaconsumer.spring.actuate.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.PartitionSnapshot;

/** {@link LagTracker} over synthetic histories: each status, the time-lag interpolation, forgetting. */
class LagTrackerTests {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    private static final int WINDOW = 5;

    private final LagTracker tracker = new LagTracker(WINDOW);

    private long time = 1_000_000;

    @Test
    void aPartitionCaughtUpIsOkWithNoTimeLag() {
        for (int i = 0; i < 2 * WINDOW; i++) {
            sample(100 + i, 100 + i, 0);
        }
        assertThat(latest()).satisfies((lag) -> {
            assertThat(lag.status()).isEqualTo(LagStatus.OK);
            assertThat(lag.lag()).hasValue(0);
            assertThat(lag.timeLagMillis()).hasValue(0);
            assertThat(lag.samples()).isEqualTo(WINDOW);
        });
    }

    @Test
    void nothingButOkUntilTheWindowIsFull() {
        for (int i = 0; i < WINDOW - 1; i++) {
            sample(100, 150, 0);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.OK);
        sample(100, 150, 0);
        assertThat(latest().status()).isEqualTo(LagStatus.STOP);
    }

    @Test
    void lagGrowingOverTheWholeWindowWhileCommittingIsWarn() {
        for (int i = 0; i < WINDOW; i++) {
            sample(100 + 10 * i, 120 + 20 * i, 3);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.WARN);
        // one sample with a smaller lag: the consumer gains ground, so no warning
        sample(150, 190, 3);
        assertThat(latest().status()).isEqualTo(LagStatus.OK);
    }

    @Test
    void aCommittedOffsetThatDoesNotMoveWhileRecordsAreInFlightIsStall() {
        for (int i = 0; i < WINDOW; i++) {
            sample(100, 130 + i, 1);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.STALL);
    }

    @Test
    void noCommitAndNoWorkWhileBehindIsStop() {
        for (int i = 0; i < WINDOW; i++) {
            sample(100, 130 + i, 0);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.STOP);
        sample(101, 135, 0);
        assertThat(latest().status()).as("a commit moved").isNotEqualTo(LagStatus.STOP);
    }

    @Test
    void aConsumerStandingAtALastStableOffsetThatAnOpenTransactionHoldsBelowTheHighWatermarkIsHeld() {
        // read_committed: the lag is measured against the last stable offset, 200, where a transaction opened;
        // 350 records were written behind it, and everything before it is committed
        for (int i = 0; i < WINDOW - 1; i++) {
            sampleReadCommitted(200, 200, 200, 350 + 10 * i, 0);
            assertThat(latest().status()).as("not before the window is full").isEqualTo(LagStatus.OK);
        }
        sampleReadCommitted(200, 200, 200, 400, 0);
        assertThat(latest()).satisfies((lag) -> {
            assertThat(lag.status()).isEqualTo(LagStatus.HELD);
            assertThat(lag.lag()).as("against the last stable offset").hasValue(0);
            assertThat(lag.endOffset()).hasValue(200);
        });
        // the broker aborts the transaction: the last stable offset jumps to the high-water mark
        sampleReadCommitted(200, 200, 401, 401, 0);
        assertThat(latest().status()).isNotEqualTo(LagStatus.HELD);
    }

    @Test
    void aHeldPartitionWhoseLastRecordsAreNotCommittedYetIsHeldNotStop() {
        // the commit trails the position by the transaction marker before the open transaction
        for (int i = 0; i < WINDOW; i++) {
            sampleReadCommitted(199, 200, 200, 300, 0);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.HELD);
        assertThat(latest().lag()).hasValue(1);
    }

    @Test
    void aHandlerStuckBelowTheLastStableOffsetIsStallNotHeld() {
        // the transaction is open too, but the consumer has records in flight below it: its own problem comes first
        for (int i = 0; i < WINDOW; i++) {
            sampleReadCommitted(150, 200, 200, 300, 50);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.STALL);
    }

    @Test
    void transactionsCommittingOneAfterTheOtherMoveTheLastStableOffsetAndAreNotHeld() {
        for (int i = 0; i < WINDOW; i++) {
            long stable = 200 + 10 * i;
            sampleReadCommitted(stable, stable, stable, stable + 5, 0);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.OK);
    }

    @Test
    void aReadUncommittedConsumerStandingAtTheLastStableOffsetIsStopNotHeld() {
        // the lag is measured against the high-water mark: the consumer could read on, and does not
        for (int i = 0; i < WINDOW; i++) {
            PartitionSnapshot partition = new PartitionSnapshot(TP, OptionalLong.of(200), OptionalLong.of(200),
                    OptionalLong.of(300), OptionalLong.of(200), OptionalLong.of(100), OptionalLong.of(this.time), 0);
            this.tracker.sample(snapshot(partition), this.time += 1000);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.STOP);
    }

    @Test
    void withoutAHighWatermarkNothingIsHeld() {
        // the end offsets probe's fallback under read_committed knows the last stable offset only
        for (int i = 0; i < WINDOW; i++) {
            PartitionSnapshot partition = new PartitionSnapshot(TP, OptionalLong.of(200), OptionalLong.of(200),
                    OptionalLong.empty(), OptionalLong.of(200), OptionalLong.of(0), OptionalLong.of(this.time), 0);
            this.tracker.sample(snapshot(partition), this.time += 1000);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.OK);
    }

    @Test
    void aCommittedOffsetGoingBackIsRewindUntilItComesBack() {
        sample(500, 510, 1);
        sample(505, 515, 1);
        sample(0, 520, 1);
        sample(100, 525, 1);
        sample(200, 530, 1);
        assertThat(latest().status()).isEqualTo(LagStatus.REWIND);
        sample(505, 535, 1);
        assertThat(latest().status()).isEqualTo(LagStatus.OK);
    }

    @Test
    void aWindowThatWasCaughtUpOnceIsOk() {
        sample(100, 100, 0);
        for (int i = 1; i < WINDOW; i++) {
            sample(100 + i, 110 + 5 * i, 1);
        }
        assertThat(latest().status()).isEqualTo(LagStatus.OK);
    }

    @Test
    void timeLagInterpolatesWhenTheEndOffsetPassedTheCommittedOne() {
        // end offsets 100, 200, 300 seen one second apart; offset 150 was written half-way between the first two
        sample(100, 100, 0);
        sample(100, 200, 0);
        time += 1000;
        sample(150, 300, 0, time);
        assertThat(latest().timeLagMillis()).hasValue(1500);
        assertThat(latest().lag()).hasValue(150);
    }

    @Test
    void timeLagExtrapolatesBeyondTheOldestPoint() {
        sample(50, 100, 0);
        sample(50, 200, 0);
        time += 1000;
        sample(50, 300, 0, time);
        // 2000 - (300 - 50) * 2000 / 200 = -500 ms; seen at 2000 ms
        assertThat(latest().timeLagMillis()).hasValue(2500);
    }

    @Test
    void aQuietPartitionKeepsTheTimeItsEndOffsetStartedToStandStill() {
        sample(100, 100, 0);
        sample(100, 100, 0);
        sample(100, 100, 0);
        sample(100, 200, 0);
        // offset 100 was written between the third and the fourth sample; the quiet samples after that would push
        // those points out of a table of five, but flat compression keeps a quiet run to its first and last point
        for (int i = 0; i < 3 * WINDOW; i++) {
            sample(100, 200, 0);
        }
        long sinceFirstWrite = 3 * WINDOW * 1000;
        assertThat(latest().timeLagMillis()).hasValue(sinceFirstWrite + 1000);
    }

    @Test
    void timeLagIsUnknownWithOnePointAndZeroWhenCaughtUp() {
        sample(100, 200, 0);
        assertThat(latest().timeLagMillis()).isEmpty();
        sample(200, 200, 0);
        assertThat(latest().timeLagMillis()).hasValue(0);
    }

    @Test
    void aPartitionWithNothingCommittedHasNoLagYet() {
        this.tracker.sample(snapshot(partition(OptionalLong.empty(), OptionalLong.of(10), 0)), this.time);
        assertThat(latest().lag()).isEmpty();
        assertThat(latest().status()).isEqualTo(LagStatus.OK);
        assertThat(this.tracker.lagOrNaN("orders-app", TP)).isNaN();
    }

    @Test
    void partitionsNoLongerAssignedAreForgottenAndListenersHearOfIt() {
        List<String> events = new ArrayList<>();
        this.tracker.addListener(new LagTracker.Listener() {
            @Override
            public void partitionTracked(String container, TopicPartition partition) {
                events.add("+" + container + "/" + partition);
            }

            @Override
            public void partitionForgotten(String container, TopicPartition partition) {
                events.add("-" + container + "/" + partition);
            }
        });
        sample(10, 20, 0);
        sample(10, 25, 0);
        assertThat(this.tracker.lagOrNaN("orders-app", TP)).isEqualTo(15.0);
        this.tracker.sample(snapshot(), this.time += 1000);
        assertThat(this.tracker.partitions("orders-app")).isEmpty();
        assertThat(this.tracker.lagOrNaN("orders-app", TP)).isNaN();
        sample(10, 25, 0);
        this.tracker.retain(Set.of("other"));
        assertThat(this.tracker.containers()).isEmpty();
        assertThat(events).containsExactly("+orders-app/orders-0", "-orders-app/orders-0", "+orders-app/orders-0",
                "-orders-app/orders-0");
    }

    @Test
    void aWindowOfFewerThanTwoSamplesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LagTracker(1))
            .withMessageContaining("kafka.consumer.lag.window");
    }

    private void sample(long committed, long end, int inFlight) {
        this.time += 1000;
        sample(committed, end, inFlight, this.time);
    }

    private void sample(long committed, long end, int inFlight, long at) {
        PartitionSnapshot partition = new PartitionSnapshot(TP, OptionalLong.of(committed + inFlight),
                OptionalLong.of(committed), OptionalLong.of(end), OptionalLong.of(end), OptionalLong.of(end - committed),
                OptionalLong.of(at), inFlight);
        this.tracker.sample(snapshot(partition), at);
    }

    /** A read_committed sample: the lag is the last stable offset minus the committed offset. */
    private void sampleReadCommitted(long committed, long position, long lastStable, long highWatermark, int inFlight) {
        this.time += 1000;
        PartitionSnapshot partition = new PartitionSnapshot(TP, OptionalLong.of(position), OptionalLong.of(committed),
                OptionalLong.of(highWatermark), OptionalLong.of(lastStable), OptionalLong.of(lastStable - committed),
                OptionalLong.of(this.time), inFlight);
        this.tracker.sample(snapshot(partition), this.time);
    }

    private static PartitionSnapshot partition(OptionalLong committed, OptionalLong end, int inFlight) {
        return new PartitionSnapshot(TP, OptionalLong.empty(), committed, end, end, OptionalLong.empty(),
                OptionalLong.empty(), inFlight);
    }

    private static ContainerSnapshot snapshot(PartitionSnapshot... partitions) {
        return new ContainerSnapshot("orders-app", "orders", ContainerState.RUNNING, Set.of("orders"), List.of(partitions),
                Optional.empty());
    }

    private PartitionLag latest() {
        return this.tracker.partition("orders-app", TP).orElseThrow();
    }

}
