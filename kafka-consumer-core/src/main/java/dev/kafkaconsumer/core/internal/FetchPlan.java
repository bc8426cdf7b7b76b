package dev.kafkaconsumer.core.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions the consumer must not fetch now, decided from the buffers' state alone: {@link #decide} is a pure
 * function of each partition's state, the bytes buffered and what the application asked for, with no side effect.
 *
 * <p>The rules, each a reason to pause a partition on its own:
 * <ul>
 * <li><b>space</b>: its buffer holds {@code maxPerPartition} bytes or more; or all buffers together hold
 * {@code maxTotal} bytes or more, which pauses every partition;</li>
 * <li><b>parking</b>: it holds records that no get call asked for since they came, and the latest get call chose
 * partitions (an application that takes from all partitions never has fetching paused and resumed between its
 * calls; one that chooses makes only the partitions it asks for cycle, as in aiokafka's flow control);</li>
 * <li><b>user pause</b>: the application paused it;</li>
 * <li><b>seek</b>: its start point is undefined ({@code auto.offset.reset=none}) and it waits for a seek;</li>
 * <li><b>hold</b>: a partition paused for space still has records at the broker (any number), and the partition is
 * caught up there (no more records beyond its position than one poll of the I/O thread hands out; see
 * {@link FetchHold}).
 * kafka-clients keeps one fetch in flight per broker, and the broker keeps a fetch of caught-up partitions up to
 * {@code fetch.max.wait.ms}: the backlogged partition, once its buffer drains, would wait for that fetch's empty answer
 * before its own could go. So the caught-up partitions are held back too, whatever the other partitions left to fetch
 * (a fetch of those, with records at the broker, is answered at once, but kafka-clients leaves out of it the partitions
 * it holds fetched records of, and sends it from inside {@code poll}, after handing out what may be a partition's last
 * records). {@link FetchHold} says how long; a take that frees space ends the hold with the pause for space, and the
 * partitions are fetched together again.</li>
 * </ul>
 * A partition frozen for a revocation is no reason to pause it: it hands nothing out, and the revocation removes it,
 * with whatever was fetched for it, before the I/O thread plans again.
 *
 * <p>A plan also remembers why it paused partitions for space or parking, so that a take can tell whether one of them
 * {@linkplain #mayFetchMore may be fetched again} and the I/O thread must be woken to plan again.
 *
 * <p>Threads: decided on the I/O thread ({@code kafka-consumer-io-<id>}) before each poll; {@link #mayFetchMore} is
 * asked on the application threads after they take records. Immutable; the states it reads are guarded by the lock
 * of {@link RecordBuffers}, which holds it while deciding.
 *
 * @param notToFetch     the partitions the consumer must not fetch, for whichever reason
 * @param totalFull      whether all buffers together were full, which paused every partition
 * @param pausedForSpace the partitions paused because their buffer, or all buffers together, were full
 * @param parked         the partitions paused because they hold records nobody asked for
 * @param held           the caught-up partitions held back while a backlogged one is paused for space (rule <b>hold</b>)
 */
record FetchPlan(Set<TopicPartition> notToFetch, boolean totalFull, Set<TopicPartition> pausedForSpace,
        Set<TopicPartition> parked, Set<TopicPartition> held) {

    /** The plan before the first: nothing is paused. */
    static final FetchPlan NOTHING_PAUSED = new FetchPlan(Set.of(), false, Set.of(), Set.of(), Set.of());

    FetchPlan {
        notToFetch = Set.copyOf(notToFetch);
        pausedForSpace = Set.copyOf(pausedForSpace);
        parked = Set.copyOf(parked);
        held = Set.copyOf(held);
    }

    /** Decides which partitions the consumer must not fetch, holding none back (see {@link #decide(Bounds, long, Demand, Collection, boolean, long)}). */
    static FetchPlan decide(Bounds bounds, long totalBytes, Demand demand,
            Collection<? extends PartitionState> partitions) {
        return decide(bounds, totalBytes, demand, partitions, false, 0);
    }

    /**
     * Decides which partitions the consumer must not fetch.
     *
     * @param bounds     the bytes at which one buffer, and all together, are full
     * @param totalBytes the bytes buffered for all partitions together
     * @param demand     what the application asked for lately
     * @param partitions the state of every assigned partition
     * @param mayHold    whether caught-up partitions may be held back (the rule <b>hold</b>)
     * @param caughtUp   the most records a partition may have at the broker and count as caught up for the hold
     */
    static FetchPlan decide(Bounds bounds, long totalBytes, Demand demand,
            Collection<? extends PartitionState> partitions, boolean mayHold, long caughtUp) {
        boolean totalFull = totalBytes >= bounds.maxTotal();
        Set<TopicPartition> notToFetch = new HashSet<>();
        Set<TopicPartition> forSpace = new HashSet<>();
        Set<TopicPartition> parked = new HashSet<>();
        for (PartitionState partition : partitions) {
            if (totalFull || partition.bufferedBytes() >= bounds.maxPerPartition()) {
                forSpace.add(partition.partition());
            }
            if (demand.parks(partition)) {
                parked.add(partition.partition());
            }
            if (forSpace.contains(partition.partition()) || parked.contains(partition.partition())
                    || partition.pausedByUser() || partition.awaitingSeek()) {
                notToFetch.add(partition.partition());
            }
        }
        Set<TopicPartition> held = mayHold ? caughtUpToHold(partitions, notToFetch, forSpace, caughtUp) : Set.of();
        notToFetch.addAll(held);
        return new FetchPlan(notToFetch, totalFull, forSpace, parked, held);
    }

    /**
     * The caught-up partitions left to fetch (no more records at the broker than {@code caughtUp}) while a partition
     * paused for space has any record there; none otherwise. A backlog of a few records holds the others as a large one
     * does: each refill of its buffer would wait as long. A partition whose lag is unknown counts as not caught up: it
     * is not held, and, paused for space, it holds the others back.
     */
    private static Set<TopicPartition> caughtUpToHold(Collection<? extends PartitionState> partitions,
            Set<TopicPartition> notToFetch, Set<TopicPartition> forSpace, long caughtUp) {
        Set<TopicPartition> toHold = new HashSet<>();
        boolean backlogPausedForSpace = false;
        for (PartitionState partition : partitions) {
            if (!notToFetch.contains(partition.partition())) {
                if (partition.caughtUp(caughtUp)) {
                    toHold.add(partition.partition());
                }
            } else if (forSpace.contains(partition.partition()) && !partition.caughtUp(0)) {
                backlogPausedForSpace = true;
            }
        }
        return backlogPausedForSpace ? toHold : Set.of();
    }

    /**
     * Whether a partition that this plan paused for space or parking may be fetched again now: all buffers together
     * fell below their bound, a partition's buffer fell below its own, or a parked partition was asked for. While all
     * buffers together stay at their bound, none may be, whatever its own state.
     *
     * @param current the state of an assigned partition, or {@code null} when it is no longer assigned
     */
    boolean mayFetchMore(Bounds bounds, long totalBytes, Demand demand,
            Function<TopicPartition, ? extends PartitionState> current) {
        if (totalFull) {
            return totalBytes < bounds.maxTotal();
        }
        for (TopicPartition partition : pausedForSpace) {
            PartitionState state = current.apply(partition);
            if (state != null && state.bufferedBytes() < bounds.maxPerPartition()) {
                return true;
            }
        }
        for (TopicPartition partition : parked) {
            PartitionState state = current.apply(partition);
            if (state != null && !demand.parks(state)) {
                return true;
            }
        }
        return false;
    }

    /** This plan without the given partitions, as when they are no longer assigned. */
    FetchPlan without(Collection<TopicPartition> removed) {
        return new FetchPlan(minus(notToFetch, removed), totalFull, minus(pausedForSpace, removed),
                minus(parked, removed), minus(held, removed));
    }

    private static Set<TopicPartition> minus(Set<TopicPartition> from, Collection<TopicPartition> removed) {
        Set<TopicPartition> rest = new HashSet<>(from);
        rest.removeAll(removed);
        return rest;
    }

    /**
     * What the consumer must change to follow this plan.
     *
     * @param assigned the consumer's assignment
     * @param paused   the partitions the consumer has paused now
     */
    Changes changes(Set<TopicPartition> assigned, Set<TopicPartition> paused) {
        Set<TopicPartition> pause = new HashSet<>(notToFetch);
        pause.retainAll(assigned);
        pause.removeAll(paused);
        Set<TopicPartition> resume = new HashSet<>(paused);
        resume.removeAll(notToFetch);
        resume.retainAll(assigned);
        return new Changes(pause, resume);
    }

    /**
     * The bytes at which buffers are full.
     *
     * @param maxPerPartition bytes at which one partition's buffer is full
     * @param maxTotal        bytes at which all buffers together are full
     */
    record Bounds(long maxPerPartition, long maxTotal) {
    }

    /**
     * What the consumer must do to follow a plan.
     *
     * @param pause  partitions to pause
     * @param resume partitions to resume
     */
    record Changes(Set<TopicPartition> pause, Set<TopicPartition> resume) {

        Changes {
            pause = Set.copyOf(pause);
            resume = Set.copyOf(resume);
        }
    }

    /** One partition's state, as the plan reads it. */
    interface PartitionState {

        TopicPartition partition();

        /** Serialized key and value bytes buffered for the partition. */
        long bufferedBytes();

        /**
         * Whether the partition holds records that came when {@code asksForAll} get calls had asked for all
         * partitions, and that no get call has asked for since.
         */
        boolean holdsUnaskedRecords(long asksForAll);

        /** Whether the application paused the partition. */
        boolean pausedByUser();

        /** Whether the partition's start point is undefined and it waits for a seek. */
        boolean awaitingSeek();

        /** Whether a revocation of the partition has begun. */
        boolean frozen();

        /**
         * Whether the broker's latest answer showed no more than {@code within} records beyond the consumer's fetch
         * position (under its isolation level); false while unknown.
         */
        boolean caughtUp(long within);
    }
}
