package dev.kafkaconsumer.samples.offsets;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerEngine;

/**
 * Counts records per key with the offsets in the database, never in Kafka: each batch's counts and
 * offsets go in one transaction, and on assignment the positions are restored from the database with
 * {@code seek}. A crash at any point leaves the database as after some whole batch, and the restart
 * reads on from exactly there.
 */
public final class CountingConsumer implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(CountingConsumer.class);

    private final ConsumerEngine<String, String> engine;
    private final OffsetStore store;
    private final PrintStream out;
    /** What this consumer knows to be stored, per assigned partition; written by the I/O thread too. */
    private final Map<TopicPartition, Long> stored = new ConcurrentHashMap<>();

    /**
     * @param engine an engine built with a group id and {@code enable.auto.commit=false}, not started;
     *               it stays the caller's to close
     * @param store  the database
     * @param out    where progress goes
     */
    public CountingConsumer(ConsumerEngine<String, String> engine, OffsetStore store, PrintStream out) {
        this.engine = engine;
        this.store = store;
        this.out = out;
    }

    /**
     * Subscribes, starts the engine and counts until {@code stop} says so.
     *
     * @param topics     the topics
     * @param stop       asked after each batch
     * @param batchDelay a pause after each batch, standing for slow work (zero for none)
     * @return how many records this run counted
     * @throws SQLException        if the database refuses
     * @throws InterruptedException if interrupted during the pause
     */
    public long run(Collection<String> topics, BooleanSupplier stop, Duration batchDelay) throws SQLException, InterruptedException {
        engine.subscribe(topics, this);
        engine.start();
        long counted = 0;
        long nextReport = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (!stop.getAsBoolean()) {
            Map<TopicPartition, List<ConsumerRecord<String, String>>> batch = engine.getMany(Duration.ofMillis(200));
            if (!batch.isEmpty()) {
                try {
                    stored.putAll(store.write(batch, Map.copyOf(stored)));
                    counted += batch.values().stream().mapToInt(List::size).sum();
                } catch (OffsetStore.StaleOffsetException e) {
                    log.warn(e.getMessage());
                    restore(batch.keySet().stream().filter(engine.assignment()::contains).toList());
                }
                if (!batchDelay.isZero()) {
                    Thread.sleep(batchDelay.toMillis());
                }
            }
            if (System.nanoTime() >= nextReport) {
                out.printf("counted %d records in this run; stored offsets %s%n", counted, format(stored));
                nextReport += Duration.ofSeconds(1).toNanos();
            }
        }
        return counted;
    }

    /** Runs on the engine's I/O thread; {@code seek} called here runs inline. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        restore(partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // nothing to commit: every batch was stored with its offsets in the transaction that counted it
        partitions.forEach(stored::remove);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    private void restore(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> offsets;
        try {
            offsets = store.offsets(partitions);
        } catch (SQLException e) {
            // without its stored offset a partition must not be consumed: counting from elsewhere would be wrong
            throw new IllegalStateException("Could not read the stored offsets of " + partitions + " from the database", e);
        }
        for (TopicPartition partition : partitions) {
            Long offset = offsets.get(partition);
            if (offset == null) {
                stored.remove(partition);
                engine.seekToBeginning(partition);
            } else {
                stored.put(partition, offset);
                engine.seek(partition, offset);
            }
        }
        out.printf("assigned %s; positions restored from the database: %s%n", partitions.stream().map(TopicPartition::toString)
                .sorted().toList(), offsets.isEmpty() ? "none stored, from the beginning" : format(offsets));
    }

    static String format(Map<TopicPartition, Long> offsets) {
        Map<String, Long> sorted = new TreeMap<>();
        offsets.forEach((partition, offset) -> sorted.put(partition.toString(), offset));
        return sorted.toString();
    }
}
