package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
}
