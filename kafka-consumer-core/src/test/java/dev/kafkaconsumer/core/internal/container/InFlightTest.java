package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The count of records in flight against the bound, and who it wakes; no broker. */
class InFlightTest {

    private final InFlight inFlight = new InFlight(10);

    @Test
    void thereIsRoomForWhatTheBoundLeaves() throws InterruptedException {
        inFlight.taken(3);
        inFlight.held();

        assertThat(inFlight.count()).isEqualTo(4);
        assertThat(inFlight.awaitCapacity(() -> false, 10)).isEqualTo(6);
        assertThat(inFlight.awaitCapacity(() -> true, 10)).as("stopping: no room").isZero();
    }

    @Test
    void theDispatcherIsWokenOnceHalfOfTheBoundIsFree() throws Exception {
        inFlight.taken(10);
        CompletableFuture<Integer> room = CompletableFuture.supplyAsync(() -> {
            try {
                return inFlight.awaitCapacity(() -> false, TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        inFlight.released(4);
        await().during(200, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> !room.isDone());
        inFlight.released(1);

        assertThat(room.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void theStopperIsWokenWhenNothingIsInFlight() throws Exception {
        inFlight.taken(2);
        CompletableFuture<Void> none = CompletableFuture.runAsync(() -> {
            try {
                inFlight.awaitNone(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        inFlight.released(0);
        inFlight.released(1);
        await().during(200, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> !none.isDone());
        inFlight.released(1);

        none.get(10, TimeUnit.SECONDS);
        assertThat(inFlight.count()).isZero();
    }

    @Test
    void waitingForNoneEndsAtTheDeadline() throws InterruptedException {
        inFlight.taken(1);

        inFlight.awaitNone(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));

        assertThat(inFlight.count()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- each partition's bound

    private static final TopicPartition P0 = new TopicPartition("t", 0);

    @Test
    void aPartitionsBoundIsItsShareOfTheContainersButNoLessThanFourRecordsAWorker() {
        InFlight container = InFlight.perPartition(2000, 6);

        container.partitions(6);
        assertThat(container.partitionBound()).as("2000 / 6").isEqualTo(333);
        assertThat(6 * container.partitionBound()).as("the shares fit in the bound of all").isLessThanOrEqualTo(2000);
        container.partitions(2);
        assertThat(container.partitionBound()).as("half").isEqualTo(1000);
        container.partitions(1000);
        assertThat(container.partitionBound()).as("4 x concurrency").isEqualTo(24);
        container.partitions(1);
        assertThat(container.partitionBound()).isEqualTo(2000);
        container.partitions(0);
        assertThat(container.partitionBound()).as("nothing assigned yet").isEqualTo(2000);
        InFlight small = InFlight.perPartition(10, 100);
        small.partitions(4);
        assertThat(small.partitionBound()).as("never more than the container's bound").isEqualTo(10);
        assertThat(inFlight.partition(P0)).as("one bound for all, as a share container has").isNull();
    }

    @Test
    void aPartitionHasRoomOnceHalfItsBoundIsFreeAndThePartitionLeftOutIsToldOfIt() {
        InFlight container = InFlight.perPartition(20, 1);
        container.partitions(2);
        AtomicInteger told = new AtomicInteger();
        container.onPartitionRoom(told::incrementAndGet);
        InFlight.PartitionCount p0 = container.partition(P0);
        assertThat(container.partitionRoom(P0)).as("20 / 2").isEqualTo(10);

        container.taken(p0, 10);
        assertThat(container.partitionRoom(P0)).isZero();
        container.released(p0, 4);
        assertThat(container.partitionRoom(P0)).as("6 in flight: more than half of 10").isZero();
        assertThat(told).hasValue(0);
        container.released(p0, 1);

        assertThat(told).hasValue(1);
        assertThat(container.partitionRoom(P0)).isEqualTo(5);
        container.released(p0, 5);
        assertThat(told).as("told only after a take found no room").hasValue(1);
        assertThat(container.count()).isZero();
        assertThat(p0.count()).isZero();
    }

    @Test
    void theDispatcherTakesAgainOnceHalfOfAllIsFreeHoweverThePartitionsHoldIt() throws Exception {
        InFlight container = InFlight.perPartition(20, 1);
        container.partitions(6);
        container.taken(container.partition(P0), 10);
        container.taken(container.partition(new TopicPartition("t", 1)), 6);
        CompletableFuture<Integer> room = CompletableFuture.supplyAsync(() -> {
            try {
                return container.awaitCapacity(() -> false, TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        container.released(container.partition(P0), 5);
        await().during(200, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> !room.isDone());
        container.released(container.partition(P0), 1);

        assertThat(room.get(10, TimeUnit.SECONDS)).as("10 in flight, half of 20 free").isEqualTo(10);
    }

    @Test
    void withManyPartitionsTheDispatcherStillWaitsForHalfOfAllBeforeItTakesAgain() {
        InFlight container = InFlight.perPartition(2000, 6);
        container.partitions(1000);
        container.taken(1001);

        assertThat(container.room()).as("a take walks every partition with records: a few records are not worth it").isZero();
        container.released(1);
        assertThat(container.room()).isEqualTo(1000);
        container.partitions(6);
        container.taken(1);
        assertThat(container.room()).as("six partitions: still half of all").isZero();
        InFlight fewWorkersAPartition = InFlight.perPartition(2000, 400);
        fewWorkersAPartition.partitions(2);
        fewWorkersAPartition.taken(1500);
        assertThat(fewWorkersAPartition.room()).as("room once no more than one partition's bound, 4 x concurrency = 1600, "
                + "is in flight, when that is more than half").isEqualTo(500);
    }

    @Test
    void aForgottenPartitionStartsANewCountWhileItsWorksReleaseTheOldOne() {
        InFlight container = InFlight.perPartition(20, 1);
        container.partitions(4);
        InFlight.PartitionCount old = container.partition(P0);
        container.taken(old, 10);

        container.forget(java.util.List.of(P0));

        assertThat(container.partitionRoom(P0)).as("20 / 4").isEqualTo(5);
        container.released(old, 10);
        assertThat(container.count()).isZero();
    }

    // ---------------------------------------------------------------- the default bound, which moves

    @Test
    void aDefaultBoundMovesWithWhatTheDispatcherTellsItAndAFixedOneStays() {
        InFlight moving = InFlight.perPartition(new AdaptiveBound(2000, 8000, 6, 32L * 1024 * 1024), 6);
        assertThat(moving.max()).as("slow or unknown: the low end").isEqualTo(2000);

        InFlight.PartitionCount p0 = moving.partition(P0);
        moving.took(0);
        moving.taken(p0, 2000);
        moving.took(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(moving.max()).as("the first take fills the bound: nothing handled yet").isEqualTo(2000);
        moving.released(2000);
        moving.taken(p0, 100_000);
        moving.took(TimeUnit.MILLISECONDS.toNanos(100));
        moving.released(100_000);
        moving.took(TimeUnit.MILLISECONDS.toNanos(111));
        moving.partitions(6);

        assertThat(moving.max()).as("a million records a second").isEqualTo(8000);
        assertThat(moving.room()).as("8,000 free").isEqualTo(8000);
        assertThat(moving.partitionBound()).isEqualTo(1333);
        moving.sampled(1024 * 1024);
        assertThat(moving.max()).as("records of a megabyte: 32 MiB of them").isEqualTo(32);

        InFlight fixed = InFlight.perPartition(2000, 6);
        fixed.taken(fixed.partition(P0), 100_000);
        fixed.took(TimeUnit.MILLISECONDS.toNanos(100));
        fixed.sampled(1024 * 1024);
        assertThat(fixed.max()).as("the application set the bound").isEqualTo(2000);
        InFlight share = new InFlight(2000);
        share.sampled(1024 * 1024);
        assertThat(share.max()).isEqualTo(2000);
    }
}
