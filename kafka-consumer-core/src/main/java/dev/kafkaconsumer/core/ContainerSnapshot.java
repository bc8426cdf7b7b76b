package dev.kafkaconsumer.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only view of a {@link ConsumerContainer} at one moment.
 *
 * @param name         the container's name
 * @param groupId      the consumer group, or {@code null} without one
 * @param state        the lifecycle state
 * @param subscription the subscribed topics (for a pattern, those it matches now)
 * @param partitions   one entry per assigned partition, ordered by topic and partition
 * @param failure      why the container failed, when its state is {@link ContainerState#FAILED}
 * @param error        the last error the consumer reported (such as an authentication failure) while
 *                     the container keeps retrying, until the group next assigns it partitions: a
 *                     container that cannot get in says why without failing; or else, for a member of a
 *                     group, {@code no response from the brokers for N s (request.timeout.ms M ms)} while
 *                     no broker has answered it for longer than {@code request.timeout.ms} (a network
 *                     partition: Kafka's consumer reports none), until the first response
 * @param transactions the transactions of a transactional container so far, or {@code null} for a container
 *                     that is not transactional
 */
public record ContainerSnapshot(String name, String groupId, ContainerState state, Set<String> subscription,
        List<PartitionSnapshot> partitions, Optional<String> failure, Optional<String> error, TransactionStats transactions) {

    /**
     * A snapshot of a container that is not transactional.
     *
     * @param name         the container's name
     * @param groupId      the consumer group, or {@code null} without one
     * @param state        the lifecycle state
     * @param subscription the subscribed topics
     * @param partitions   one entry per assigned partition
     * @param failure      why the container failed
     * @param error        the last error the consumer reported while the container keeps retrying
     */
    public ContainerSnapshot(String name, String groupId, ContainerState state, Set<String> subscription,
            List<PartitionSnapshot> partitions, Optional<String> failure, Optional<String> error) {
        this(name, groupId, state, subscription, partitions, failure, error, null);
    }

    /**
     * A snapshot without a consumer error.
     *
     * @param name         the container's name
     * @param groupId      the consumer group, or {@code null} without one
     * @param state        the lifecycle state
     * @param subscription the subscribed topics
     * @param partitions   one entry per assigned partition
     * @param failure      why the container failed
     */
    public ContainerSnapshot(String name, String groupId, ContainerState state, Set<String> subscription,
            List<PartitionSnapshot> partitions, Optional<String> failure) {
        this(name, groupId, state, subscription, partitions, failure, Optional.empty(), null);
    }

    /**
     * Returns the records in flight across all partitions.
     *
     * @return the sum of {@link PartitionSnapshot#inFlight()}
     */
    public int inFlight() {
        return partitions.stream().mapToInt(PartitionSnapshot::inFlight).sum();
    }
}
