package dev.kafkaconsumer.core.internal.share;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.AcknowledgeType;

import dev.kafkaconsumer.core.internal.Deadline;

/**
 * What application threads ask of the share engine's I/O thread, after Kafka's application events: immutable, each
 * with the future its caller waits on. A final acknowledgement is the {@link Acquisition} itself, which carries its
 * type and, when its caller holds one, its future: a command object and a future per record cost the I/O thread more
 * than its own acknowledgement of the record does.
 *
 * <p>Threads: made on any thread, run on the I/O thread ({@code kafka-consumer-share-io-<client.id>}).
 */
sealed interface ShareCommand permits ShareCommand.Acknowledge, ShareCommand.Subscribe, Acquisition {

    /** Fails the command without running it: the engine stopped. */
    void fail(RuntimeException error);

    /**
     * Renew one record's lock; the future, if any, completes when the broker confirmed it.
     *
     * @param acquisition the record
     * @param type        how ({@code RENEW})
     * @param future      what the application holds, or {@code null} when its caller waits for no answer
     */
    record Acknowledge(Acquisition<?, ?> acquisition, AcknowledgeType type, CompletableFuture<Void> future)
            implements ShareCommand {

        @Override
        public void fail(RuntimeException error) {
            if (future != null) {
                future.completeExceptionally(error);
            }
        }
    }

    /**
     * Replace the subscription; an empty set unsubscribes. The future completes once the consumer has it.
     *
     * @param topics   the topics
     * @param deadline when its caller stops waiting: past it, the I/O thread does not apply it
     * @param future   what the caller waits on
     * @param claimed  whether the I/O thread or the caller has decided its fate
     */
    record Subscribe(Set<String> topics, Deadline deadline, CompletableFuture<Void> future, AtomicBoolean claimed)
            implements ShareCommand {

        Subscribe(Set<String> topics, Deadline deadline) {
            this(Set.copyOf(topics), deadline, new CompletableFuture<>(), new AtomicBoolean());
        }

        /**
         * Claims the command for whoever decides its fate first: the I/O thread, to apply it, or its caller, whose
         * deadline passed, to give it up.
         *
         * @return whether this caller decides
         */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        String describe() {
            return topics.isEmpty() ? "unsubscribe()" : "subscribe(" + topics + ")";
        }

        @Override
        public void fail(RuntimeException error) {
            future.completeExceptionally(error);
        }
    }
}
