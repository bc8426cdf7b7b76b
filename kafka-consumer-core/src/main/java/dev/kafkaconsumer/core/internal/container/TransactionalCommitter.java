package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.TransactionStats;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * Commits a transactional container's work: each transaction takes every partition's contiguous prefix of done
 * records (at most {@code maxRecordsPerTransaction} records), sends their outputs from {@link PendingOutputs},
 * sends the prefix's offsets with the consumer's group metadata (KIP-447) and commits. Records done beyond a
 * prefix keep their outputs for a later transaction. Nothing goes through the consumer's own commits.
 *
 * <p>A transaction that fails is aborted (or, when the producer cannot abort, such as a fenced one, the producer
 * is closed and the next transaction creates a new one with the same transactional id); its partitions are
 * rewound: {@code rewind} drops their progress and seeks them back to their committed offsets, so that their
 * records are handled again, and until it has, no transaction takes them. During a revocation a failed
 * transaction is not rewound: the partitions go to their new owner, which starts at the committed offsets.
 *
 * <p>Threads and lock. The producer is used only under {@link #lock}, by the thread that makes a transaction: this
 * committer's own thread {@code kafka-consumer-txn-<container>} (on schedule, and when enough records are
 * pending), the engine's I/O thread (the commit of a revocation), a seek's thread and the stopper (the final
 * commit). Whoever holds the lock never waits for the engine's I/O thread, which may itself be waiting for the lock
 * in a revocation: the group metadata is read before the lock is taken (inline on the I/O thread in a revocation),
 * and a transaction whose metadata a rebalance may have made stale since is skipped. A commit inside a revocation
 * is bounded by the producer's {@code max.block.ms}, which the container sets to its revocation timeout unless
 * given. The rewinds run on the committer's thread, outside the lock.
 */
final class TransactionalCommitter implements Commits {

    private static final Logger log = LoggerFactory.getLogger(TransactionalCommitter.class);

    private final String container;
    private final ContainerEngine engine;
    private final OffsetTracker tracker;
    private final PendingOutputs pending;
    private final ContainerListener listener;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final int maxRecords;
    private final Consumer<Collection<TopicPartition>> rewind;
    private final ReentrantLock lock = new ReentrantLock();
    /** Partitions whose abort is being rewound: no transaction takes them until the rewind is done. */
    private final Set<TopicPartition> rewinding = ConcurrentHashMap.newKeySet();
    /** Counts rebalances, so that a transaction whose metadata was read before one is skipped. */
    private final AtomicLong rebalances = new AtomicLong();
    private final AtomicBoolean transactionQueued = new AtomicBoolean();
    private final ScheduledExecutorService thread;
    /** Under {@link #lock}. */
    private Producer<byte[], byte[]> producer;
    private volatile boolean finalCommitMade;
    private volatile boolean closed;
    private volatile TransactionStats stats = TransactionStats.NONE;

    /**
     * @param producers  creates the transactional producer, on first use and after one was closed
     * @param maxRecords the most records per transaction
     * @param rewind     drops the progress of partitions whose transaction aborted and seeks them to their committed
     *                   offsets; called on this committer's thread
     */
    TransactionalCommitter(String container, ContainerEngine engine, OffsetTracker tracker, ContainerListener listener, Supplier<Producer<byte[], byte[]>> producers, int maxRecords,
            Consumer<Collection<TopicPartition>> rewind) {
        this.container = container;
        this.engine = engine;
        this.tracker = tracker;
        this.pending = new PendingOutputs(maxRecords, this::transactionDue);
        this.listener = listener;
        this.producers = producers;
        this.maxRecords = maxRecords;
        this.rewind = rewind;
        this.thread = Executors.newSingleThreadScheduledExecutor(ContainerThreads.named("kafka-consumer-txn-" + container, true));
    }

    /** Makes a transaction every {@code interval} from now on, on this committer's thread. */
    void start(Duration interval) {
        long millis = Math.max(1, Durations.millis(interval));
        thread.scheduleWithFixedDelay(this::commitAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Enough records are pending for a transaction: one runs soon on this committer's thread. */
    void transactionDue() {
        if (transactionQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    transactionQueued.set(false);
                    commitAll();
                });
            } catch (RejectedExecutionException stopped) {
                transactionQueued.set(false);
            }
        }
    }

    /** Where the container's workers keep each record's outputs until its transaction. */
    PendingOutputs pending() {
        return pending;
    }

    TransactionStats stats() {
        return stats;
    }

    @Override
    public void rebalanced() {
        rebalances.incrementAndGet();
    }

    @Override
    public void commitAll() {
        if (finalCommitMade || closed) {
            return;
        }
        long before = rebalances.get();
        ConsumerGroupMetadata metadata = metadata();
        if (metadata == null) {
            return;
        }
        Collection<TopicPartition> aborted;
        do {
            Set<TopicPartition> assigned = engine.assignment();
            List<TopicPartition> partitions = tracker.partitions().stream().filter(assigned::contains).toList();
            aborted = transaction(partitions, metadata, before);
        } while (aborted != null && aborted.isEmpty() && pending.records() >= maxRecords && !thread.isShutdown());
        if (aborted != null && !aborted.isEmpty()) {
            rewindLater(aborted);
        }
    }

    @Override
    public void commitRevoked(Collection<TopicPartition> partitions) {
        if (finalCommitMade || closed) {
            return;
        }
        ConsumerGroupMetadata metadata = metadata(); // inline: this is the I/O thread
        if (metadata != null) {
            commitUntilDone(partitions, metadata);
        }
    }

    @Override
    public void commitBeforeStop(long deadlineNanos) {
        ConsumerGroupMetadata metadata = metadata();
        if (metadata != null) {
            commitUntilDone(tracker.partitions().stream().filter(engine.assignment()::contains).toList(), metadata);
        }
        finalCommitMade = true;
    }

    /** Transactions until nothing is left to commit of the partitions, or one fails (nothing rewound: they go). */
    private void commitUntilDone(Collection<TopicPartition> partitions, ConsumerGroupMetadata metadata) {
        long now = rebalances.get();
        Collection<TopicPartition> aborted;
        do {
            aborted = transaction(partitions, metadata, now);
        } while (aborted != null && aborted.isEmpty());
        if (aborted != null) {
            rewinding.removeAll(aborted); // nothing to rewind: the partitions go, and may come back with a new progress
        }
    }

    /**
     * The group metadata for a transaction, or {@code null} while the consumer is not a member of a generation
     * (joining, or just fenced): the broker would take offsets sent without a generation as an admin's commit,
     * unfenced, so no transaction is made then.
     */
    private ConsumerGroupMetadata metadata() {
        ConsumerGroupMetadata metadata;
        try {
            metadata = engine.groupMetadata();
        } catch (RuntimeException e) {
            log.debug("Container {}: no group metadata for a transaction now ({})", container, e.toString());
            return null;
        }
        return metadata.generationId() < 0 || metadata.memberId().isEmpty() ? null : metadata;
    }

    /**
     * One transaction of the partitions' done prefixes.
     *
     * @param rebalancesSeen the rebalance count when {@code metadata} was read: if it moved, nothing is done
     * @return {@code null} when there was nothing to commit (or the metadata may be stale), empty when it
     *         committed, else the partitions of the aborted transaction
     */
    private Collection<TopicPartition> transaction(Collection<TopicPartition> partitions, ConsumerGroupMetadata metadata,
            long rebalancesSeen) {
        lock.lock();
        try {
            if (closed || rebalances.get() != rebalancesSeen) {
                return null;
            }
            dropOutputsOfClosedProgress();
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            Map<TopicPartition, PartitionProgress> sources = new HashMap<>();
            List<PendingOutputs.Taken> taken = new ArrayList<>();
            int records = 0;
            for (TopicPartition partition : partitions) {
                PartitionProgress progress = tracker.progress(partition);
                OffsetAndMetadata prefix = progress == null || rewinding.contains(partition) ? null : progress.uncommitted();
                if (prefix == null || records >= maxRecords) {
                    continue;
                }
                PendingOutputs.Taken outputs = pending.take(progress, prefix.offset(), maxRecords - records);
                records += outputs.offsets.size();
                // cut short by the budget, the offset is a record's whose predecessor's epoch is no longer known
                offsets.put(partition, outputs.cut == prefix.offset() ? prefix : new OffsetAndMetadata(outputs.cut));
                sources.put(partition, progress);
                taken.add(outputs);
            }
            if (offsets.isEmpty()) {
                return null;
            }
            try {
                send(taken, offsets, metadata);
            } catch (RuntimeException e) {
                aborted(e, offsets.keySet());
                return List.copyOf(offsets.keySet());
            }
            offsets.forEach((partition, offset) -> sources.get(partition).committed(offset.offset()));
            taken.forEach(PendingOutputs.Taken::committed);
            TransactionStats now = stats;
            stats = new TransactionStats(now.committed() + 1, now.aborted(), Instant.now(), now.lastAbortReason());
            listener.transactionCommitted(container, Map.copyOf(offsets), records);
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    private void dropOutputsOfClosedProgress() {
        Set<PartitionProgress> live = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TopicPartition partition : tracker.partitions()) {
            PartitionProgress progress = tracker.progress(partition);
            if (progress != null) {
                live.add(progress);
            }
        }
        pending.retain(live);
    }

    private void send(List<PendingOutputs.Taken> taken, Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata metadata) {
        if (producer == null) {
            Producer<byte[], byte[]> created = producers.get();
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        producer.beginTransaction();
        for (PendingOutputs.Taken outputs : taken) {
            for (ProducerRecord<byte[], byte[]> output : outputs.outputs) {
                producer.send(output);
            }
        }
        producer.sendOffsetsToTransaction(offsets, metadata);
        producer.commitTransaction();
    }

    /** Aborts the transaction if the producer can, else closes it for a new one; tells of the abort. */
    private void aborted(RuntimeException cause, Set<TopicPartition> partitions) {
        rewinding.addAll(partitions);
        if (producer != null) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                log.debug("Container {}: the producer cannot abort ({}); closing it for a new one", container,
                        abortFailed.toString());
                closeProducer();
            }
        }
        String reason = reason(cause);
        TransactionStats now = stats;
        stats = new TransactionStats(now.committed(), now.aborted() + 1, now.lastCommit(), reason);
        log.warn("Container {}: transaction of {} aborted ({}); their records are handled again from the committed offsets",
                container, partitions, reason);
        listener.transactionAborted(container, cause);
    }

    /** The failure, and its first cause when there is one: the producer wraps the failure of a send in an error state. */
    private static String reason(Throwable cause) {
        Throwable root = cause.getCause();
        return root == null || root == cause ? cause.toString() : cause + " (caused by " + root + ")";
    }

    /** Rewinds the partitions of an aborted transaction on this committer's thread; in a revocation, they just go. */
    private void rewindLater(Collection<TopicPartition> partitions) {
        try {
            thread.execute(() -> {
                try {
                    rewind.accept(partitions);
                } catch (RuntimeException e) {
                    log.warn("Container {}: could not rewind {} after an aborted transaction ({})", container, partitions,
                            e.toString());
                } finally {
                    rewinding.removeAll(partitions);
                }
            });
        } catch (RejectedExecutionException stopped) {
            rewinding.removeAll(partitions);
        }
    }

    private void closeProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            log.debug("Container {}: closing the producer threw ({})", container, e.toString());
        }
        producer = null;
    }

    /** Stops the committer's thread and closes the producer; after the final commit. Idempotent. */
    void close() {
        closed = true;
        thread.shutdownNow();
        lock.lock();
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
