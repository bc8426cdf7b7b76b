package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ShareEngineListener;
import dev.kafkaconsumer.core.internal.CallbackExecutor;

/**
 * Where the I/O thread reports what became of the records: the counters, the log, the application's listener and
 * the futures of acknowledgements. Listener calls and completions run on the engine's callback thread
 * ({@code kafka-consumer-callbacks-<client.id>}), in the order the I/O thread reported them, never on the I/O thread:
 * a listener or a dependent stage that blocks cannot delay polls, acknowledgements or renewals.
 *
 * <p>Threads: called on the I/O thread; the counters are thread-safe.
 */
final class ShareEvents {

    private static final Logger log = LoggerFactory.getLogger(ShareEvents.class);

    private final ShareEngineListener listener;
    private final CallbackExecutor callbacks;
    private final ShareTally tally;
    private final String clientId;

    /** @param listener the application's listener, or {@code null} */
    ShareEvents(ShareEngineListener listener, CallbackExecutor callbacks, ShareTally tally, String clientId) {
        this.listener = listener;
        this.callbacks = callbacks;
        this.tally = tally;
        this.clientId = clientId;
    }

    ShareTally tally() {
        return tally;
    }

    void lockExpired(Acquisition<?, ?> record, Duration heldFor) {
        tally.lockExpired();
        log.warn("[{}] The acquisition lock of {} expired {} ms after it was acquired, before the record was acknowledged; "
                + "the broker delivers it again and its acknowledgement will not be sent", clientId, record, heldFor.toMillis());
        tell(listener -> listener.lockExpired(record.view(), heldFor));
    }

    void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
        tally.confirmed(type, count);
        tell(listener -> listener.acknowledged(partition, type, count));
    }

    void renewed(TopicPartition partition, int count) {
        tally.confirmed(AcknowledgeType.RENEW, count);
        tell(listener -> listener.renewed(partition, count));
    }

    void failed(TopicPartition partition, Set<Long> offsets, Exception error) {
        tally.failed(offsets.size());
        log.warn("[{}] The broker did not confirm the acknowledgements of {} at offsets {}: {}", clientId, partition, offsets,
                error.toString());
        tell(listener -> listener.acknowledgementFailed(partition, offsets, error));
    }

    /**
     * Completes the futures of acknowledgements that one answer settled, normally when {@code error} is null, in one
     * task on the callback thread: a task per record would cost the callback thread a hand-over per record, the
     * largest cost of a drain where nobody waits on these futures.
     */
    void complete(List<CompletableFuture<Void>> futures, Throwable error) {
        if (futures.isEmpty()) {
            return;
        }
        callbacks.run(() -> {
            for (CompletableFuture<Void> future : futures) {
                if (error == null) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(error);
                }
            }
        });
    }

    private void tell(java.util.function.Consumer<ShareEngineListener> call) {
        if (listener == null) {
            return;
        }
        callbacks.run(() -> {
            try {
                call.accept(listener);
            } catch (Throwable e) {
                log.warn("[{}] The share engine's listener threw; ignored", clientId, e);
            }
        });
    }
}
