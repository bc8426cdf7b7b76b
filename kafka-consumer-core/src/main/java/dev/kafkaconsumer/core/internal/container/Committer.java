package dev.kafkaconsumer.core.internal.container;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ContainerListener;

/**
 * Commits each partition's done prefix for a container, read from its {@link OffsetTracker}, and tells its
 * listeners. A seek may replace a partition's progress while a commit is under way: the offset committed
 * is marked on the progress it was read from, and the new progress commits its own with the next commit.
 * Does nothing without a group. Once the final commit of a stop is made, revocations commit no more. A partition
 * revoked after the committer read the assignment, but before the engine ran the commit, makes the engine refuse
 * the whole commit; its revocation committed it, so the committer commits the partitions still owned again and
 * reports no failure.
 *
 * <p>Threads: the timer (commits on schedule, after a batch or a seek), the engine's I/O thread (before a
 * revocation) and the stopper (the final commit). No lock of its own; the engine orders the commits.
 */
final class Committer implements Commits {

    private static final Logger log = LoggerFactory.getLogger(Committer.class);

    /** How a commit is sent: throws what the engine threw, or reports a timeout. */
    @FunctionalInterface
    private interface Send {
        void send(Map<TopicPartition, OffsetAndMetadata> offsets) throws Exception;
    }

    private final String container;
    private final ContainerEngine engine;
    private final OffsetTracker tracker;
    private final ContainerListener listener;
    private final boolean enabled;
    /** Whether the stop made its final commit: only revocations after it need not commit. */
    private volatile boolean finalCommitMade;

    /** @param enabled whether the container has a group to commit to */
    Committer(String container, ContainerEngine engine, OffsetTracker tracker, ContainerListener listener, boolean enabled) {
        this.container = container;
        this.engine = engine;
        this.tracker = tracker;
        this.listener = listener;
        this.enabled = enabled;
    }

    /** Commits the done prefix of every partition, waiting for the broker; failures are logged. */
    @Override
    public void commitAll() {
        commit(tracker.partitions(), engine::commit);
    }

    /**
     * Commits the done prefix of partitions being revoked, waiting for the broker; failures are logged. A
     * revocation while stopping but before the final commit (a partition moving to a new member) commits
     * here: the final commit covers only partitions still owned. After it, the last revocation need not
     * commit again (its deadline is spent).
     */
    @Override
    public void commitRevoked(Collection<TopicPartition> partitions) {
        if (!finalCommitMade) {
            commit(partitions, engine::commit);
        }
    }

    /**
     * The final commit, within what is left of the stop's timeout (at least a second): with the brokers
     * gone it fails in time instead of holding the stop for the consumer's API timeout.
     */
    @Override
    public void commitBeforeStop(long deadlineNanos) {
        long millis = Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        commit(tracker.partitions(), offsets -> engine.commitAsync(offsets).get(millis, TimeUnit.MILLISECONDS));
        finalCommitMade = true;
    }

    private void commit(Collection<TopicPartition> partitions, Send send) {
        if (!enabled) {
            return;
        }
        OffsetTracker.Commit commit = ownedToCommit(partitions);
        if (commit.isEmpty()) {
            return;
        }
        try {
            sendAndTell(commit, send);
        } catch (CommitFailedException e) {
            // A rebalance took partitions between the read of the assignment and the commit's turn on the engine's I/O
            // thread (under the consumer protocol, on every revocation): the engine refuses the whole commit, but their
            // revocation committed them. Commit what is still owned rather than report a failure that loses nothing.
            OffsetTracker.Commit owned = ownedToCommit(partitions);
            if (owned.offsets().keySet().containsAll(commit.offsets().keySet())) {
                failed(commit, e); // nothing was revoked meanwhile: the refusal is the broker's
                return;
            }
            log.debug("Container {}: partitions revoked while their commit waited were left to their revocation ({})",
                    container, e.getMessage());
            if (!owned.isEmpty()) {
                try {
                    sendAndTell(owned, send);
                } catch (CommitFailedException again) {
                    failed(owned, again);
                }
            }
        }
    }

    /** What to commit of the partitions still assigned: one revoked since was committed by its revocation. */
    private OffsetTracker.Commit ownedToCommit(Collection<TopicPartition> partitions) {
        Set<TopicPartition> assigned = engine.assignment();
        return tracker.toCommit(partitions.stream().filter(assigned::contains).toList());
    }

    /**
     * Sends a commit and tells the listeners how it went, except a refusal of partitions this member does not own,
     * which is thrown for the caller to tell from the broker's refusals.
     */
    private void sendAndTell(OffsetTracker.Commit commit, Send send) {
        Map<TopicPartition, OffsetAndMetadata> offsets = commit.offsets();
        try {
            send.send(offsets);
            commit.sent();
            listener.committed(container, offsets, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.committed(container, offsets, e);
        } catch (CommitFailedException e) {
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommitFailedException refused) {
                throw refused;
            }
            failed(commit, e.getCause());
        } catch (KafkaException | TimeoutException e) {
            failed(commit, e);
        } catch (Exception e) {
            throw new IllegalStateException("Unexpected failure committing " + offsets, e);
        }
    }

    private void failed(OffsetTracker.Commit commit, Throwable cause) {
        log.warn("Container {} could not commit {} ({}); records not committed will be read again", container,
                commit.offsets(), cause.toString());
        listener.committed(container, commit.offsets(), cause);
    }
}
