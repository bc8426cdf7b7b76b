package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * Asynchronous gets waiting for records. Each is served by whichever thread makes records available
 * (the I/O thread after a poll, or the caller when records are there already); futures complete on
 * the engine's callback thread, never on the I/O thread, so dependent stages cannot stall fetching.
 *
 * <p><b>Threads.</b> {@link #add} runs on the application thread asking; {@link #serve} on the I/O thread
 * ({@code kafka-consumer-io-<id>}) after a poll, on the application thread after {@code add} or a resume; expiry on
 * the engine's callback thread; {@link #closeAll} on the thread stopping the engine. {@link #isEmpty} is read by the
 * I/O thread without the lock (a volatile count).
 *
 * <p><b>Lock.</b> This object's monitor guards the list of waiting gets. {@link #serve()} holds it while taking from
 * {@link RecordBuffers} (whose lock is therefore taken second, never the reverse): a get registered while records
 * arrive is served either by the I/O thread's pass or by its own pass right after registering, never missed.
 */
final class PendingGets<K, V> {

    private final RecordBuffers<K, V> buffers;
    private final ScheduledExecutorService callbacks;
    private final List<Pending<K, V>> pending = new ArrayList<>();
    private volatile int size;

    PendingGets(RecordBuffers<K, V> buffers, ScheduledExecutorService callbacks) {
        this.buffers = buffers;
        this.callbacks = callbacks;
    }

    /**
     * Registers a get.
     *
     * @param timeout how long to wait, or {@code null} to wait until records come or the engine stops
     * @param single  whether this is a {@code getOne}: it fails, rather than returning empty, on stop
     */
    CompletableFuture<Map<TopicPartition, List<ConsumerRecord<K, V>>>> add(int max, Collection<TopicPartition> wanted,
            Duration timeout, boolean single) {
        buffers.requireAssigned(wanted);
        Pending<K, V> get = new Pending<>(max, List.copyOf(wanted), single, new CompletableFuture<>());
        synchronized (this) {
            pending.add(get);
            size = pending.size();
        }
        if (timeout != null) {
            try {
                callbacks.schedule(() -> expire(get), Durations.nanos(timeout), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the engine stopped (and its callback thread with it) since the caller checked
                stopped(get);
                return get.future;
            }
        }
        serve();
        return get.future;
    }

    /** Whether any get is waiting; a waiting get counts as the application asking for records. */
    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Serves every waiting get that buffered records or a pending error can answer now. A get whose future its caller
     * completed already (cancelled it, or timed it out with {@code orTimeout}) is dropped without taking records,
     * which would move the position past records that nobody receives.
     */
    synchronized void serve() {
        for (Iterator<Pending<K, V>> it = pending.iterator(); it.hasNext();) {
            Pending<K, V> get = it.next();
            if (get.future.isDone()) {
                it.remove();
                continue;
            }
            try {
                Map<TopicPartition, List<ConsumerRecord<K, V>>> records = buffers.poll(get.max, get.wanted);
                if (!records.isEmpty()) {
                    it.remove();
                    complete(get.future, records);
                }
            } catch (ConsumerStoppedException e) {
                it.remove();
                finishOnStop(get);
            } catch (RuntimeException e) {
                it.remove();
                execute(() -> get.future.completeExceptionally(e));
            }
        }
        size = pending.size();
    }

    private synchronized void expire(Pending<K, V> get) {
        if (pending.remove(get)) {
            size = pending.size();
            complete(get.future, Map.of());
        }
    }

    /** Ends every waiting get: {@code getOne} fails with {@link ConsumerStoppedException}, {@code getMany} gets nothing. */
    synchronized void closeAll() {
        pending.forEach(this::finishOnStop);
        pending.clear();
        size = 0;
    }

    private synchronized void stopped(Pending<K, V> get) {
        if (pending.remove(get)) {
            size = pending.size();
            finishOnStop(get);
        }
    }

    private void finishOnStop(Pending<K, V> get) {
        Runnable finish = get.single
                ? () -> get.future.completeExceptionally(new ConsumerStoppedException("The consumer engine stopped"))
                : () -> get.future.complete(Map.of());
        execute(finish);
    }

    private void complete(CompletableFuture<Map<TopicPartition, List<ConsumerRecord<K, V>>>> future,
            Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
        execute(() -> future.complete(records));
    }

    private void execute(Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            // the engine has stopped and its callback thread with it
            completion.run();
        }
    }

    private record Pending<K, V>(int max, List<TopicPartition> wanted, boolean single,
            CompletableFuture<Map<TopicPartition, List<ConsumerRecord<K, V>>>> future) {
    }
}
