package dev.kafkaconsumer.benchmarks.transactions;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Stops a B11 run's clock: the moment the group's committed offsets reach the input's end offsets. A transactional
 * contender's offsets become committed only when the transaction that carries them commits (KIP-447), so this is the
 * moment the last input's output became visible to a read_committed reader, the same definition for every contender
 * whatever it reports itself. Asks the group coordinator every {@value #POLL_MILLIS} ms, from the measuring thread,
 * with an admin client made before the clock starts; the figure is that precise.
 */
final class CommitWatch implements AutoCloseable {

    /** How often the committed offsets are read. */
    static final long POLL_MILLIS = 20;

    private final Admin admin;
    private final String topic;
    private final long[] end;

    /**
     * @param bootstrapServers the broker
     * @param topic            the input topic
     * @param end              its end offsets, by partition
     */
    CommitWatch(String bootstrapServers, String topic, long[] end) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "b11-watch"));
        this.topic = topic;
        this.end = end.clone();
    }

    /**
     * Waits until {@code group} has committed every input partition up to its end.
     *
     * @param group          the contender's consumer group
     * @param contender      the contender's name, for messages
     * @param timeoutSeconds how long to wait before failing the run
     * @param failure        asked at every poll: the contender's failure, or null while it runs
     * @return {@link System#nanoTime()} when the last offset was first seen committed
     */
    long awaitCommitted(String group, String contender, long timeoutSeconds, Supplier<Throwable> failure) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (true) {
                long lagging = lagging(group);
                if (lagging == 0) {
                    return System.nanoTime();
                }
                Throwable cause = failure.get();
                if (cause != null) {
                    throw new IllegalStateException(contender + " failed with " + lagging + " input records not yet "
                            + "committed: " + cause, cause);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(contender + " did not commit the whole input within " + timeoutSeconds
                            + " s; " + lagging + " records were left; is the broker alive?");
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + contender + "'s commits", e);
        }
    }

    /** Input records not yet committed by {@code group}. */
    private long lagging(String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            // the group may not exist yet while its first member joins
            return -1;
        }
        long lagging = 0;
        for (int p = 0; p < end.length; p++) {
            OffsetAndMetadata offset = committed.get(new TopicPartition(topic, p));
            lagging += end[p] - (offset == null ? 0 : offset.offset());
        }
        return lagging;
    }

    @Override
    public void close() {
        admin.close();
    }
}
