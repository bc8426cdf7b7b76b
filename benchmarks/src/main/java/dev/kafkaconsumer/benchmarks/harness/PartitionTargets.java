package dev.kafkaconsumer.benchmarks.harness;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records each partition of a benchmark topic (of any partition count) holds, so that a B2 drain knows when the
 * last record of each partition has been handled. Read before the clock starts.
 */
public final class PartitionTargets {

    private PartitionTargets() {
    }

    /**
     * @return records per partition (end offset minus start offset), indexed by partition number
     */
    public static long[] read(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            long[] end = offsets(admin, topic, partitions, OffsetSpec.latest());
            long[] start = offsets(admin, topic, partitions, OffsetSpec.earliest());
            long[] records = new long[partitions];
            for (int p = 0; p < records.length; p++) {
                records[p] = end[p] - start[p];
            }
            return records;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not read the offsets of " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the offsets of " + topic, e);
        }
    }

    private static long[] offsets(Admin admin, String topic, int partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p))
                .collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin.listOffsets(request).all().get();
        long[] offsets = new long[partitions];
        result.forEach((tp, info) -> offsets[tp.partition()] = info.offset());
        return offsets;
    }
}
