package dev.kafkaconsumer.core.internal.container;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.Ordering;

/**
 * The outcomes of a container that commits offsets: a record handled (or acknowledged, under
 * {@link CommitMode#MANUAL}) or recovered is done in its partition's {@link PartitionProgress}, so that the
 * committer may pass it; a record that can be neither handled nor recovered fails the container (see
 * {@link Recovery}), and nothing is committed past it. Stateless beyond its collaborators; the runner's threads.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CommitOutcomes<K, V> implements RecordOutcomes<K, V> {

    private static final Acknowledgement NOT_MANUAL = () -> {
    };

    private final Recovery<K, V> recovery;
    private final boolean manual;
    private final boolean partitionOrdered;

    /**
     * @param config   the container's configuration: its commit mode, ordering and recoverer
     * @param recovery gives records that cannot be handled to the recoverer
     */
    CommitOutcomes(ContainerConfig<K, V> config, Recovery<K, V> recovery) {
        this.recovery = recovery;
        this.manual = config.commitMode() == CommitMode.MANUAL;
        this.partitionOrdered = config.ordering() == Ordering.PARTITION;
    }

    /**
     * Whether the record may start now that its partition may be closed. Under PARTITION ordering a
     * partition's records run one after another, so stopping at the next record leaves no gap and a
     * volatile read does; under KEY and UNORDERED ordering the progress decides (see
     * {@link PartitionProgress#close(boolean)}).
     */
    @Override
    public boolean mayStart(Work work, long offset) {
        if (partitionOrdered) {
            return !work.progress.isClosed();
        }
        return work.progress.mayStart(offset);
    }

    @Override
    public Acknowledgement acknowledgement(Work work, long offset) {
        return manual ? () -> work.progress.done(offset) : NOT_MANUAL;
    }

    /** Marks the record done unless commits are manual: then the handler's acknowledgement does. */
    @Override
    public void handled(Work work, long offset) {
        if (!manual) {
            work.progress.done(offset);
        }
    }

    /** Marks the record done by its place in its take, which needs no search and, out of order, no monitor. */
    @Override
    public void handledAt(Work work, int index) {
        if (work.take == null) {
            handled(work, work.raw.get(index).offset());
        } else if (!manual) {
            work.progress.done(work.take, work.position(index));
        }
    }

    /** Gives the record to the recoverer; when that fails, the container fails and the work goes no further. */
    @Override
    public boolean notHandled(Work work, FailedRecord<K, V> failed) {
        try {
            recovery.recover(work, failed);
            return true;
        } catch (Recovery.UnrecoverableException e) {
            recovery.unrecoverable(work, e.getCause());
            return false;
        }
    }

    @Override
    public void over(Work work) {
        work.progress.finished(work.raw.size());
    }
}
