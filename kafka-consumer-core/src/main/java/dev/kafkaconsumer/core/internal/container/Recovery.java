package dev.kafkaconsumer.core.internal.container;

import static dev.kafkaconsumer.core.internal.container.StageResults.failureOf;
import static dev.kafkaconsumer.core.internal.container.StageResults.isDone;
import static dev.kafkaconsumer.core.internal.container.StageResults.unwrap;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;

/**
 * Gives records that could not be handled to the container's recoverer, and fails the container when the
 * recoverer cannot take one: such a record stays undone, so no commit passes it. A recovery that completes
 * later (a dead letter on its way) holds its record in flight, undone, until it completes, while the work
 * goes on with its next record.
 *
 * <p>Threads: the worker running the work, and the thread that completes a recoverer's stage.
 */
final class Recovery<K, V> {

    private final ContainerConfig<K, V> config;
    private final ContainerListener listener;
    private final InFlight inFlight;
    private final Consumer<String> failContainer;

    /**
     * @param listener      told of each record recovered
     * @param inFlight      holds the records whose recovery completes later
     * @param failContainer fails the container, with the reason
     */
    Recovery(ContainerConfig<K, V> config, ContainerListener listener, InFlight inFlight, Consumer<String> failContainer) {
        this.config = config;
        this.listener = listener;
        this.inFlight = inFlight;
        this.failContainer = failContainer;
    }

    /**
     * Gives a record of the work to the recoverer: done at once when its stage completed, else when it completes.
     *
     * @throws UnrecoverableException when the recoverer threw or its stage failed already
     */
    void recover(Work work, FailedRecord<K, V> failed) throws UnrecoverableException {
        CompletionStage<?> stage;
        try {
            stage = config.recoverer().recoverAsync(failed);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new UnrecoverableException(e);
        }
        if (isDone(stage)) {
            Throwable error = failureOf(stage);
            if (error != null) {
                throw new UnrecoverableException(error);
            }
            recovered(work, failed);
            return;
        }
        work.progress.hold();
        inFlight.held(work.inFlight);
        stage.whenComplete((result, error) -> {
            if (error == null) {
                recovered(work, failed);
            } else {
                unrecoverable(work, unwrap(error));
            }
            work.progress.finished(1);
            inFlight.released(work.inFlight, 1);
        });
    }

    /** A record of the work could be neither handled nor recovered: the container stops, in FAILED. */
    void unrecoverable(Work work, Throwable reason) {
        failContainer.accept("record " + work.partition + " could be neither handled nor recovered (" + reason + ")");
    }

    private void recovered(Work work, FailedRecord<K, V> failed) {
        listener.recovered(config.name(), failed, config.recoverer().kind());
        work.progress.done(failed.offset());
    }

    /** A recoverer failed: carries its exception out of the loops over records. */
    static final class UnrecoverableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnrecoverableException(Throwable cause) {
            super(cause);
        }
    }
}
