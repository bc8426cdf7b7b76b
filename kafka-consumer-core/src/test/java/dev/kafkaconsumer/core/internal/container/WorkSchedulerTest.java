package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class WorkSchedulerTest {

    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final List<Runnable> executed = new ArrayList<>();
    private final List<Work> started = new ArrayList<>();
    private final WorkScheduler scheduler = new WorkScheduler(2, executed::add, started::add);

    private Work work(TopicPartition partition, Object lane) {
        return new Work(partition, new PartitionProgress(), List.of(), lane, null);
    }

    private void runExecuted() {
        List<Runnable> now = new ArrayList<>(executed);
        executed.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void workOfOneLaneRunsOneAtATimeInOrder() {
        Work first = work(p0, "key-a");
        Work second = work(p0, "key-a");
        Work other = work(p0, "key-b");
        scheduler.submitAll(List.of(first));
        scheduler.submitAll(List.of(second));
        scheduler.submitAll(List.of(other));
        runExecuted();
        assertThat(started).containsExactly(first, other);
        scheduler.finished(first);
        runExecuted();
        assertThat(started).containsExactly(first, other, second);
    }

    @Test
    void worksSubmittedTogetherKeepTheirOrderWithinEachLaneAndTheConcurrency() {
        Work first = work(p0, "key-a");
        Work second = work(p0, "key-a");
        Work other = work(p0, "key-b");
        Work third = work(p1, null);
        scheduler.submitAll(List.of(first, second, other, third));
        runExecuted();
        assertThat(started).containsExactly(first, other);
        scheduler.finished(other);
        runExecuted();
        assertThat(started).as("the free slot goes to the first ready work, not to the busy lane").containsExactly(first, other, third);
        scheduler.finished(first);
        scheduler.finished(third);
        runExecuted();
        assertThat(started).containsExactly(first, other, third, second);
    }

    @Test
    void noMoreThanTheConcurrencyRunsAtOnce() {
        Work a = work(p0, null);
        Work b = work(p0, null);
        Work c = work(p1, null);
        scheduler.submitAll(List.of(a));
        scheduler.submitAll(List.of(b));
        scheduler.submitAll(List.of(c));
        runExecuted();
        assertThat(started).containsExactly(a, b);
        scheduler.finished(b);
        runExecuted();
        assertThat(started).containsExactly(a, b, c);
    }

    @Test
    void aWorkWaitingForItsRetryKeepsItsLaneButGivesItsSlotUp() {
        Work failing = work(p0, p0);
        Work behind = work(p0, p0);
        Work elsewhere = work(p1, p1);
        Work more = work(p1, "x");
        scheduler.submitAll(List.of(failing));
        scheduler.submitAll(List.of(behind));
        scheduler.submitAll(List.of(elsewhere));
        scheduler.submitAll(List.of(more));
        runExecuted();
        assertThat(started).containsExactly(failing, elsewhere);
        scheduler.suspend(failing);
        runExecuted();
        assertThat(started).as("the slot went to other work, not to the failing lane").containsExactly(failing, elsewhere, more);
        scheduler.finished(more);
        scheduler.resume(failing);
        runExecuted();
        assertThat(started).containsExactly(failing, elsewhere, more, failing);
        scheduler.finished(failing);
        runExecuted();
        assertThat(started).last().isSameAs(behind);
    }

    @Test
    void droppingARevokedPartitionRemovesItsQueuedWorkAndFreesItsLanes() {
        Work running = work(p0, p0);
        Work queued = work(p0, p0);
        Work blocker = work(p1, null);
        Work readyOfP0 = work(p0, "k");
        scheduler.submitAll(List.of(running));
        scheduler.submitAll(List.of(queued));
        scheduler.submitAll(List.of(blocker));
        scheduler.submitAll(List.of(readyOfP0));
        runExecuted();
        assertThat(scheduler.dropQueued(List.of(p0))).containsExactlyInAnyOrder(queued, readyOfP0);
        Work again = work(p0, "k");
        scheduler.finished(blocker);
        scheduler.submitAll(List.of(again));
        runExecuted();
        assertThat(started).as("the lane of the dropped work is free again").contains(again);
    }
}
