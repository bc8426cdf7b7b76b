package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;

/**
 * The container's listeners as one: each call reaches every listener, and one that throws is logged and
 * skipped. The start and the stop, whose events name the public container, reach them through
 * {@link #each}, with the event the container gives ({@code ContainerListener#started}, {@code #stopped}):
 * internal code never names the public container. Stateless beyond its list; any thread.
 */
final class Listeners implements ContainerListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<ContainerListener> listeners;

    Listeners(List<ContainerListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Tells every listener that the container started, then starts its dispatcher thread, which starts the engine: a
     * failure of the engine's start is told ({@code stopped}) only after {@code started}, never before. A listener that
     * stops the container from {@code started} leaves it stopped, and the dispatcher is not started. Both runtimes call
     * it under their start and stop lock, so that a stop from another thread waits for both.
     *
     * @param toldOfStart tells a listener that the container started
     * @param active      whether the container is still active once every listener was told
     * @param dispatcher  the dispatcher thread, not yet started
     */
    void startedThenStart(Consumer<ContainerListener> toldOfStart, BooleanSupplier active, Thread dispatcher) {
        each(toldOfStart);
        if (active.getAsBoolean()) {
            dispatcher.start();
        }
    }

    /** Tells every listener, in order: one that throws is logged and skipped. */
    void each(Consumer<ContainerListener> call) {
        for (ContainerListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Container listener {} threw; ignored", listener, e);
            }
        }
    }

    @Override
    public void recordsTaken(String container, TopicPartition partition, int count) {
        each(listener -> listener.recordsTaken(container, partition, count));
    }

    @Override
    public void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
        each(listener -> listener.handled(container, partition, records, duration, outcome));
    }

    @Override
    public void retrying(String container, TopicPartition partition, int attempt) {
        each(listener -> listener.retrying(container, partition, attempt));
    }

    @Override
    public void processingTimedOut(String container, TopicPartition partition, long offset, Duration elapsed) {
        each(listener -> listener.processingTimedOut(container, partition, offset, elapsed));
    }

    @Override
    public void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
        each(listener -> listener.recovered(container, failed, recoverer));
    }

    @Override
    public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
        each(listener -> listener.committed(container, offsets, failure));
    }

    @Override
    public void transactionCommitted(String container, Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
        each(listener -> listener.transactionCommitted(container, offsets, records));
    }

    @Override
    public void transactionAborted(String container, Throwable cause) {
        each(listener -> listener.transactionAborted(container, cause));
    }

    @Override
    public void assigned(String container, Collection<TopicPartition> partitions) {
        each(listener -> listener.assigned(container, partitions));
    }

    @Override
    public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
        each(listener -> listener.unassigned(container, partitions, lost));
    }

    @Override
    public void acknowledged(String container, TopicPartition partition, AcknowledgeType type, int count) {
        each(listener -> listener.acknowledged(container, partition, type, count));
    }

    @Override
    public void lockExpired(String container, TopicPartition partition, long offset, int deliveryCount) {
        each(listener -> listener.lockExpired(container, partition, offset, deliveryCount));
    }
}
