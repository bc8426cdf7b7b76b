package dev.kafkaconsumer.samples.flowcontrol;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;

/**
 * Decides which partition to ask the engine for next, as in aiokafka's "Consumption Flow Control": the
 * partition whose lag ({@code highwater - position}) is largest, unless one has not been fetched for
 * longer than {@code maxStaleness}. A pure function of the states it is given, so the rule is tested
 * without a broker.
 *
 * <p>The staleness rule is what keeps the lag rule honest: a partition that is not asked for is not
 * refetched, so its high-water mark, and with it its lag, stops moving while records keep arriving.
 * Serving the stalest partition now and then refreshes what the lag rule sees, and no partition starves.
 */
public final class PartitionPicker {

    private static final Comparator<TopicPartition> BY_NAME =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Duration maxStaleness;

    /**
     * @param maxStaleness how long a partition may go without a fetch response before it is served
     *                     whatever its lag
     */
    public PartitionPicker(Duration maxStaleness) {
        this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
    }

    /**
     * Chooses the partition to take records from next.
     *
     * @param states     what the engine knows of each assigned partition
     * @param nowMillis  the current wall-clock time, in milliseconds since the epoch
     * @return the partition, or empty when no partition is known to lag: then ask for all of them
     */
    public Optional<TopicPartition> pick(Map<TopicPartition, PartitionState> states, long nowMillis) {
        // never fetched, or the start point not known yet: nothing to compare, serve it first
        Optional<TopicPartition> unknown = states.entrySet().stream()
                .filter(entry -> !entry.getValue().known())
                .map(Map.Entry::getKey)
                .min(BY_NAME);
        if (unknown.isPresent()) {
            return unknown;
        }
        long staleBefore = nowMillis - maxStaleness.toMillis();
        Optional<TopicPartition> stalest = states.entrySet().stream()
                .filter(entry -> entry.getValue().lastPollTimestamp().getAsLong() < staleBefore)
                .min(Comparator.<Map.Entry<TopicPartition, PartitionState>>comparingLong(
                        entry -> entry.getValue().lastPollTimestamp().getAsLong())
                        .thenComparing(Map.Entry::getKey, BY_NAME))
                .map(Map.Entry::getKey);
        if (stalest.isPresent()) {
            return stalest;
        }
        return states.entrySet().stream()
                .filter(entry -> entry.getValue().lag() > 0)
                // the largest lag; on a tie the lowest partition, so that the choice is reproducible
                .min(Comparator.<Map.Entry<TopicPartition, PartitionState>>comparingLong(entry -> -entry.getValue().lag())
                        .thenComparing(Map.Entry::getKey, BY_NAME))
                .map(Map.Entry::getKey);
    }

    /**
     * What the engine reports for one partition, read without a broker round trip.
     *
     * @param position          {@code ConsumerEngine.currentPosition}: the next offset to be returned
     * @param highwater         {@code ConsumerEngine.highwater}, from the latest fetch response
     * @param lastPollTimestamp {@code ConsumerEngine.lastPollTimestamp}: when the partition was last fetched
     */
    public record PartitionState(OptionalLong position, OptionalLong highwater, OptionalLong lastPollTimestamp) {

        /**
         * @param position          the next offset to be returned
         * @param highwater         the high-water mark
         * @param lastPollTimestamp the time of the latest fetch response, in milliseconds since the epoch
         * @return a state where everything is known
         */
        public static PartitionState of(long position, long highwater, long lastPollTimestamp) {
            return new PartitionState(OptionalLong.of(position), OptionalLong.of(highwater), OptionalLong.of(lastPollTimestamp));
        }

        /** @return whether position, high-water mark and poll time are all known */
        public boolean known() {
            return position.isPresent() && highwater.isPresent() && lastPollTimestamp.isPresent();
        }

        /** @return the high-water mark minus the position, or 0 while either is unknown */
        public long lag() {
            return known() ? Math.max(0, highwater.getAsLong() - position.getAsLong()) : 0;
        }
    }
}
