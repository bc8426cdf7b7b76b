package dev.kafkaconsumer.core.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when a topic the consumer reads was deleted and created again under the same name. Kafka's
 * consumer passes over it in silence: the new topic's partitions come with the old names, are read from
 * {@code auto.offset.reset} (the old committed offsets belong to the old topic id and are not applied), and
 * nothing says that the records of the old topic not yet handled are gone with it. The sign is the topic id,
 * which every topic gets at creation: the consumer's metadata maps each name to the id of the topic now under it.
 * After each poll the watch looks up the ids of the assigned topics and logs one WARN, by name, for each id that
 * changed; it remembers the ids of topics no longer assigned, since under the classic protocol a deleted topic's
 * partitions are revoked before the new topic's are assigned.
 *
 * <p>kafka-clients does not expose the ids to a consumer, so the watch reads its metadata by reflection
 * ({@link ConsumerInternals}); where it cannot, it says so once, when the engine is built, and reports nothing.
 *
 * <p>Threads: built on the thread that builds the engine; {@link #check} on the I/O thread only.
 */
final class TopicIdWatch {

    private static final Logger log = LoggerFactory.getLogger(TopicIdWatch.class);

    private final String clientId;
    private final String startPoint;
    private final Supplier<Map<String, Uuid>> ids;
    private final Map<String, Uuid> seen = new HashMap<>();

    /** A watch over the consumer's own metadata. */
    TopicIdWatch(Consumer<?, ?> consumer, String clientId, String startPoint) {
        this(clientId, startPoint, metadata(consumer, clientId));
    }

    /**
     * @param startPoint the consumer's {@code auto.offset.reset}, for the report
     * @param ids        the topic id of each name now, or null when the ids cannot be read
     */
    TopicIdWatch(String clientId, String startPoint, Supplier<Map<String, Uuid>> ids) {
        this.clientId = clientId;
        this.startPoint = startPoint;
        this.ids = ids;
    }

    private static Supplier<Map<String, Uuid>> metadata(Consumer<?, ?> consumer, String clientId) {
        try {
            Metadata metadata = (Metadata) ConsumerInternals.field(consumer, "metadata");
            return metadata::topicIds;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("[{}] Cannot read the topic ids of {} ({}); a topic deleted and created again is not reported", clientId,
                    consumer.getClass().getName(), e.toString());
            return null;
        }
    }

    /** Looks up the ids of the assigned partitions' topics and reports each that changed since it was last seen. */
    void check(Collection<TopicPartition> assigned) {
        if (ids == null || assigned.isEmpty()) {
            return;
        }
        Map<String, Uuid> now = ids.get();
        for (TopicPartition partition : assigned) {
            Uuid id = now.get(partition.topic());
            if (id == null || Uuid.ZERO_UUID.equals(id)) {
                continue; // not in the metadata yet, or only just gone from it
            }
            Uuid before = seen.put(partition.topic(), id);
            if (before != null && !before.equals(id)) {
                log.warn("[{}] Topic {} was deleted and created again (topic id {}, now {}): its partitions are read from "
                        + "auto.offset.reset ({}), the offsets committed for the old topic are not applied, and what the "
                        + "old topic held and was not handled yet is gone with it", clientId, partition.topic(), before, id,
                        startPoint);
            }
        }
    }
}
