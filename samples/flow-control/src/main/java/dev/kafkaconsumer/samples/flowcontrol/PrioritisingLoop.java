package dev.kafkaconsumer.samples.flowcontrol;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.samples.flowcontrol.PartitionPicker.PartitionState;

/**
 * One step of the prioritising loop: read each assigned partition's state from the engine (local
 * reads, no request), let the {@link PartitionPicker} choose, and call
 * {@code getMany(timeout, maxRecords, chosen)}. Records of the other partitions stay in the engine's
 * buffers, and those partitions are not refetched until they are asked for.
 *
 * <p>The engine is owned by the caller, who starts and closes it.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PrioritisingLoop<K, V> {

    private final ConsumerEngine<K, V> engine;
    private final PartitionPicker picker;
    private final Clock clock;

    /**
     * @param engine a started engine; it stays the caller's to close
     * @param picker the rule that chooses the partition
     * @param clock  the clock that staleness is measured with
     */
    public PrioritisingLoop(ConsumerEngine<K, V> engine, PartitionPicker picker, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.picker = Objects.requireNonNull(picker, "picker");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads the state of every assigned partition, without a broker round trip.
     *
     * @return the states, by partition
     */
    public Map<TopicPartition, PartitionState> states() {
        Map<TopicPartition, PartitionState> states = new LinkedHashMap<>();
        for (TopicPartition partition : engine.assignment()) {
            states.put(partition, new PartitionState(engine.currentPosition(partition), engine.highwater(partition),
                    engine.lastPollTimestamp(partition)));
        }
        return states;
    }

    /**
     * Takes the next batch from the partition that needs it most.
     *
     * @param timeout    how long to wait for a record
     * @param maxRecords the most records to take
     * @return the partition asked for (empty when none lagged and all were asked for) and the records
     */
    public Step<K, V> next(Duration timeout, int maxRecords) {
        Optional<TopicPartition> chosen = picker.pick(states(), clock.millis());
        Map<TopicPartition, List<ConsumerRecord<K, V>>> records = chosen
                .map(partition -> engine.getMany(timeout, maxRecords, partition))
                .orElseGet(() -> engine.getMany(timeout, maxRecords));
        return new Step<>(chosen, records);
    }

    /**
     * What one step asked for and got.
     *
     * @param chosen  the partition asked for, or empty for all
     * @param records the records returned, by partition
     * @param <K>     the key type
     * @param <V>     the value type
     */
    public record Step<K, V>(Optional<TopicPartition> chosen, Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {

        /** @return how many records were returned */
        public int count() {
            return records.values().stream().mapToInt(List::size).sum();
        }
    }
}
