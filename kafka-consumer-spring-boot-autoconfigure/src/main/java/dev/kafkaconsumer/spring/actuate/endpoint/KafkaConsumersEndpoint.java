package dev.kafkaconsumer.spring.actuate.endpoint;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.core.SeekTarget;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.core.ShareContainerSnapshot;
import dev.kafkaconsumer.core.TransactionStats;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.PartitionLag;
import dev.kafkaconsumer.spring.actuate.lag.ShareGroupLag;
import dev.kafkaconsumer.spring.actuate.lag.ShareGroupLagSampler;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.spring.autoconfigure.ShareConsumerContainerLifecycle;

/**
 * {@code /actuator/kafkaconsumers}: every consumer container with where it stands on each assigned partition,
 * read from local snapshots (no request to the broker), and, for operators who opt in with
 * {@code management.endpoint.kafkaconsumers.access=unrestricted}, pause, resume, start, stop and seek.
 * No consumer property is shown besides the group id and the client id, so no secret can leak.
 *
 * <p>Share containers (handlers with a share group) are listed with them, by the same ids, with
 * {@code "kind": "share"} ({@code "consumer"} for the others): what they hold (records acquired and in flight), the
 * deliveries they received by delivery count, the acknowledgements the broker confirmed by type, and the share
 * group's lag per partition as the broker reports it ({@code Admin#listShareGroupOffsets}, sampled in the background
 * by the {@link ShareGroupLagSampler}, not on request); a value the broker does not give is left out, never estimated.
 * A share container can be started and stopped; it has no partitions of its own to pause, resume or seek.
 *
 * <p>A transactional container (exactly-once consume-transform-produce) also shows its {@code transactions}: how many
 * committed and aborted since it started, when the last one committed and why the last abort happened.
 */
@Endpoint(id = "kafkaconsumers", defaultAccess = Access.READ_ONLY)
public class KafkaConsumersEndpoint {

    /** How much of a value of the request a reason shows. */
    private static final int SHOWN_LENGTH = 100;

    private final ConsumerContainerRegistry registry;

    private final ObjectProvider<LagTracker> lagTracker;

    private final ObjectProvider<ShareGroupLagSampler> shareLag;

    /**
     * Creates the endpoint, without share-group lag.
     *
     * @param registry   the containers
     * @param lagTracker the lag tracker for time lag and status, when there is one
     */
    public KafkaConsumersEndpoint(ConsumerContainerRegistry registry, ObjectProvider<LagTracker> lagTracker) {
        this(registry, lagTracker, null);
    }

    /**
     * Creates the endpoint.
     *
     * @param registry   the containers
     * @param lagTracker the lag tracker for time lag and status, when there is one
     * @param shareLag   the share groups' lag, when it is sampled
     */
    public KafkaConsumersEndpoint(ConsumerContainerRegistry registry, ObjectProvider<LagTracker> lagTracker,
            @Nullable ObjectProvider<ShareGroupLagSampler> shareLag) {
        this.registry = registry;
        this.lagTracker = lagTracker;
        this.shareLag = (shareLag != null) ? shareLag : new NoShareLag();
    }

    /**
     * Describes every container.
     *
     * @return the containers by id
     */
    @ReadOperation
    public ContainersDescriptor containers() {
        Map<String, Descriptor> containers = new TreeMap<>();
        this.registry.all().forEach((container) -> containers.put(container.id(), describe(container)));
        this.registry.shareContainers().forEach((container) -> containers.put(container.id(), describe(container)));
        return new ContainersDescriptor(new LinkedHashMap<>(containers));
    }

    /**
     * Describes one container, of either kind.
     *
     * @param id the container id
     * @return the container, or {@code null} (404) when there is none with that id
     */
    @ReadOperation
    public @Nullable Descriptor container(@Selector String id) {
        Optional<ShareConsumerContainerLifecycle> share = this.registry.findShare(id);
        if (share.isPresent()) {
            return describe(share.get());
        }
        return this.registry.find(id).map(this::describe).orElse(null);
    }

    /**
     * Acts on a container. A seek takes exactly one of {@code position} ({@code beginning} or {@code end}),
     * {@code offset} or {@code timestamp} (epoch milliseconds or ISO-8601), and optionally the partitions
     * (comma-separated {@code topic-partition} names, every assigned one by default). Actuator request bodies
     * are flat JSON objects, hence a string, not an array.
     *
     * @param id         the container id
     * @param action     what to do
     * @param position   for a seek: {@code beginning} or {@code end}
     * @param offset     for a seek: the offset to move to
     * @param timestamp  for a seek: the time to move to
     * @param partitions for a seek: the partitions to move, as comma-separated {@code topic-partition}
     * @return the container after the action, or {@code null} when there is none with that id
     * @throws InvalidEndpointRequestException (400) for input that does not fit the action or the container's state
     */
    @WriteOperation
    public @Nullable Descriptor act(@Selector String id, Action action, @Nullable String position,
            @Nullable Long offset, @Nullable String timestamp, @Nullable String partitions) {
        Optional<ShareConsumerContainerLifecycle> share = this.registry.findShare(id);
        if (share.isPresent()) {
            return act(share.get(), action, position, offset, timestamp, partitions);
        }
        Optional<ConsumerContainerLifecycle> found = this.registry.find(id);
        if (found.isEmpty()) {
            return null;
        }
        ConsumerContainerLifecycle container = found.get();
        if (action != Action.SEEK && (position != null || offset != null || timestamp != null || partitions != null)) {
            throw invalid("Only a seek takes position, offset, timestamp or partitions; " + action.name().toLowerCase(Locale.ROOT)
                    + " takes none");
        }
        try {
            switch (action) {
                case PAUSE -> container.pause();
                case RESUME -> container.resume();
                case START -> container.start();
                case STOP -> container.stop();
                case SEEK -> seek(container, target(position, offset, timestamp), partitions(partitions));
            }
        }
        catch (IllegalStateException | IllegalArgumentException ex) {
            throw invalid(ex.getMessage(), ex);
        }
        return describe(container);
    }

    private Descriptor act(ShareConsumerContainerLifecycle container, Action action, @Nullable String position,
            @Nullable Long offset, @Nullable String timestamp, @Nullable String partitions) {
        if (action != Action.START && action != Action.STOP) {
            throw invalid("Container '" + container.id() + "' is a share container, which cannot "
                    + action.name().toLowerCase(Locale.ROOT) + ": it has no partitions of its own; start and stop it");
        }
        if (position != null || offset != null || timestamp != null || partitions != null) {
            throw invalid("Only a seek takes position, offset, timestamp or partitions; " + action.name().toLowerCase(Locale.ROOT)
                    + " takes none");
        }
        try {
            if (action == Action.START) {
                container.start();
            }
            else {
                container.stop();
            }
        }
        catch (IllegalStateException | IllegalArgumentException ex) {
            throw invalid(ex.getMessage(), ex);
        }
        return describe(container);
    }

    private static void seek(ConsumerContainerLifecycle lifecycle, SeekTarget target, List<TopicPartition> partitions) {
        ConsumerContainer<?, ?> container = lifecycle.container()
            .orElseThrow(() -> new IllegalStateException("Container '" + lifecycle.id() + "' was never started"));
        container.seek(partitions, target);
    }

    private static SeekTarget target(@Nullable String position, @Nullable Long offset, @Nullable String timestamp) {
        int given = ((position != null) ? 1 : 0) + ((offset != null) ? 1 : 0) + ((timestamp != null) ? 1 : 0);
        if (given != 1) {
            throw invalid("A seek takes exactly one of position (beginning or end), offset or timestamp; " + given
                    + " given");
        }
        if (position != null) {
            return switch (position.trim().toLowerCase(Locale.ROOT)) {
                case "beginning" -> SeekTarget.beginning();
                case "end" -> SeekTarget.end();
                default -> throw invalid("position must be beginning or end, was '" + shown(position) + "'");
            };
        }
        if (offset != null) {
            if (offset < 0) {
                throw invalid("offset must not be negative, was " + offset);
            }
            return SeekTarget.offset(offset);
        }
        return SeekTarget.timestamp(epochMillis(timestamp));
    }

    /**
     * Reads an action given as text, as it comes over HTTP: its name in any case, blanks around it ignored.
     *
     * @param action the action's name
     * @return the action
     * @throws InvalidEndpointRequestException when there is none or it names no action
     */
    static Action action(@Nullable String action) {
        if (action == null) {
            throw invalid("action is required: pause, resume, start, stop or seek");
        }
        String name = action.trim().toUpperCase(Locale.ROOT);
        for (Action known : Action.values()) {
            if (known.name().equals(name)) {
                return known;
            }
        }
        throw invalid("action must be pause, resume, start, stop or seek, was '" + shown(action) + "'");
    }

    /**
     * Reads an offset given as text, as it comes over HTTP: decimal digits, blanks around them ignored.
     *
     * @param offset the offset, or {@code null}
     * @return the offset, or {@code null} when none is given
     * @throws InvalidEndpointRequestException when it is not a whole number that fits a long
     */
    static @Nullable Long offset(@Nullable String offset) {
        if (offset == null) {
            return null;
        }
        String value = offset.trim();
        if (!isInteger(value)) {
            throw invalid("offset must be a whole number, was '" + shown(offset) + "'");
        }
        try {
            return Long.parseLong(value);
        }
        catch (NumberFormatException ex) {
            throw invalid("offset must be at most " + Long.MAX_VALUE + ", was '" + shown(offset) + "'");
        }
    }

    /** An optional minus sign and ASCII digits only: {@link Long#parseLong} also takes a plus and other scripts' digits. */
    private static boolean isInteger(String value) {
        int start = value.startsWith("-") ? 1 : 0;
        return value.length() > start && value.substring(start).chars().allMatch((c) -> c >= '0' && c <= '9');
    }

    private static long epochMillis(String timestamp) {
        String value = timestamp.trim();
        try {
            long millis = isInteger(value) ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
            if (millis < 0) {
                throw invalid("timestamp must not be before 1970, was '" + shown(timestamp) + "'");
            }
            return millis;
        }
        catch (NumberFormatException | DateTimeException | ArithmeticException ex) {
            // ArithmeticException: an ISO-8601 instant that parses but is too far off for epoch milliseconds
            throw invalid("timestamp must be epoch milliseconds or ISO-8601 (2026-01-31T12:00:00Z) within the range of a"
                    + " long, was '" + shown(timestamp) + "'");
        }
    }

    /** A value of the request as shown in a reason: cut, so that a huge value does not make a huge answer. */
    private static String shown(String value) {
        return (value.length() <= SHOWN_LENGTH) ? value
                : value.substring(0, SHOWN_LENGTH) + "... (" + value.length() + " characters)";
    }

    private static List<TopicPartition> partitions(@Nullable String names) {
        List<TopicPartition> partitions = new ArrayList<>();
        if (names == null || names.isBlank()) {
            return partitions;
        }
        for (String listed : names.split(",", -1)) {
            String name = listed.trim();
            int dash = name.lastIndexOf('-');
            String number = (dash > 0) ? name.substring(dash + 1) : "";
            try {
                if (!isInteger(number) || number.startsWith("-")) {
                    throw new NumberFormatException(number);
                }
                partitions.add(new TopicPartition(name.substring(0, dash), Integer.parseInt(number)));
            }
            catch (NumberFormatException ex) {
                throw invalid("partitions are named topic-partition (orders-0), comma-separated, was '" + shown(name)
                        + "'");
            }
        }
        return partitions;
    }

    static InvalidEndpointRequestException invalid(String reason) {
        return new InvalidEndpointRequestException(reason, reason);
    }

    private static InvalidEndpointRequestException invalid(String reason, Throwable cause) {
        return new InvalidEndpointRequestException(reason, reason, cause);
    }

    private ContainerDescriptor describe(ConsumerContainerLifecycle container) {
        ContainerSnapshot snapshot = container.snapshot();
        LagTracker tracker = this.lagTracker.getIfAvailable();
        List<PartitionDescriptor> partitions = snapshot.partitions()
            .stream()
            .map((partition) -> describe(partition, (tracker != null)
                    ? KafkaLagEndpoint.sampled(tracker.partition(snapshot.name(), partition.partition()))
                    : Optional.empty()))
            .toList();
        Object clientId = container.settings().consumerProperties().get("client.id");
        return new ContainerDescriptor(ContainerDescriptor.KIND, container.id(), snapshot.groupId(),
                (clientId != null) ? String.valueOf(clientId) : container.id(), snapshot.state().name(),
                snapshot.failure().orElse(null), snapshot.subscription().stream().sorted().toList(),
                partitions.stream().map((partition) -> partition.topic() + "-" + partition.partition()).toList(),
                snapshot.inFlight(), partitions, describe(snapshot.transactions()));
    }

    private static @Nullable TransactionsDescriptor describe(@Nullable TransactionStats transactions) {
        if (transactions == null) {
            return null;
        }
        Instant lastCommit = transactions.lastCommit();
        return new TransactionsDescriptor(transactions.committed(), transactions.aborted(),
                (lastCommit != null) ? lastCommit.toString() : null, transactions.lastAbortReason());
    }

    private ShareContainerDescriptor describe(ShareConsumerContainerLifecycle container) {
        ShareContainerSnapshot snapshot = container.snapshot();
        Object clientId = container.settings().consumerProperties().get("client.id");
        Map<String, Long> acknowledgements = new LinkedHashMap<>();
        snapshot.acknowledgements().forEach((type, count) -> acknowledgements.put(type.name(), count));
        Map<String, Long> deliveries = new LinkedHashMap<>();
        snapshot.deliveryCounts().forEach((delivery, count) -> deliveries.put(String.valueOf(delivery), count));
        ShareGroupLagSampler sampler = this.shareLag.getIfAvailable();
        Optional<ShareGroupLag> lag = (sampler != null) ? sampler.lag(snapshot.groupId()) : Optional.empty();
        Set<String> subscription = snapshot.subscription();
        List<SharePartitionDescriptor> partitions = lag.map((group) -> group.partitions()
            .stream()
            .filter((partition) -> subscription.contains(partition.partition().topic()))
            .map((partition) -> new SharePartitionDescriptor(partition.partition().topic(),
                    partition.partition().partition(), partition.startOffset(), value(partition.lag())))
            .toList()).orElse(List.of());
        List<Long> known = partitions.stream().map(SharePartitionDescriptor::lag).filter(Objects::nonNull).toList();
        Integer consumers = container.settings().options().getShareConsumers();
        return new ShareContainerDescriptor(ShareContainerDescriptor.KIND, container.id(), snapshot.groupId(),
                (clientId != null) ? String.valueOf(clientId) : container.id(),
                (consumers != null) ? consumers : ShareConsumerContainer.DEFAULT_CONSUMERS, snapshot.state().name(),
                snapshot.failure().orElse(null), subscription.stream().sorted().toList(), snapshot.acquired(),
                snapshot.inFlight(), acknowledgements, deliveries, snapshot.lockExpirations(), snapshot.recovered(),
                known.isEmpty() ? null : known.stream().mapToLong(Long::longValue).sum(),
                lag.map((group) -> group.sampledAt().toString()).orElse(null), partitions);
    }

    private static PartitionDescriptor describe(PartitionSnapshot partition, Optional<PartitionLag> lag) {
        TopicPartition tp = partition.partition();
        OptionalLong lastPoll = partition.lastPollTimestamp();
        return new PartitionDescriptor(tp.topic(), tp.partition(), value(partition.position()),
                value(partition.committed()), value(partition.highWatermark()), value(partition.lastStableOffset()),
                value(partition.lag()), lag.map((found) -> value(found.timeLagMillis())).orElse(null),
                lag.map((found) -> found.status().name()).orElse(null),
                lastPoll.isPresent() ? Instant.ofEpochMilli(lastPoll.getAsLong()).toString() : null, partition.inFlight());
    }

    static @Nullable Long value(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    /** No share-group lag: the endpoint made with the constructor of before share containers. */
    private static final class NoShareLag implements ObjectProvider<ShareGroupLagSampler> {

        @Override
        public ShareGroupLagSampler getObject() {
            throw new org.springframework.beans.factory.NoSuchBeanDefinitionException(ShareGroupLagSampler.class);
        }

        @Override
        public @Nullable ShareGroupLagSampler getIfAvailable() {
            return null;
        }

    }

    /** What the write operation does. */
    public enum Action {

        /** Stop taking new records; records in flight finish. */
        PAUSE,

        /** Take records again after a pause. */
        RESUME,

        /** Start the container (again, after a stop or a failure). */
        START,

        /** Stop gracefully: records in flight finish and are committed. */
        STOP,

        /** Move partitions to the beginning, the end, an offset or a time. */
        SEEK

    }

    /**
     * Every container, of both kinds.
     *
     * @param containers the containers by id, in id order
     */
    public record ContainersDescriptor(Map<String, Descriptor> containers) implements OperationResponseBody {
    }

    /**
     * One container of either kind: a {@link ContainerDescriptor} or a {@link ShareContainerDescriptor}.
     */
    public sealed interface Descriptor extends OperationResponseBody
            permits ContainerDescriptor, ShareContainerDescriptor {

        /**
         * Returns the kind of container.
         *
         * @return {@code consumer} for a consumer-group container, {@code share} for a share container
         */
        String kind();

        /**
         * Returns the container id.
         *
         * @return the id
         */
        String id();

        /**
         * Returns the lifecycle state.
         *
         * @return the state's name
         */
        String state();

    }

    /**
     * One consumer-group container.
     *
     * @param kind         {@value #KIND}
     * @param id           the container id
     * @param groupId      the consumer group, or {@code null}
     * @param clientId     the client id of its consumer
     * @param state        the lifecycle state
     * @param failure      why it failed, or {@code null}
     * @param subscription the subscribed topics
     * @param assignment   the assigned partitions, as {@code topic-partition}
     * @param inFlight     records taken and not yet done
     * @param partitions   where it stands on each assigned partition
     * @param transactions the transactions of a transactional container, or {@code null} (left out of the JSON) for
     *                     one that is not transactional
     */
    public record ContainerDescriptor(String kind, String id, @Nullable String groupId, String clientId, String state,
            @Nullable String failure, List<String> subscription, List<String> assignment, int inFlight,
            List<PartitionDescriptor> partitions, @Nullable TransactionsDescriptor transactions) implements Descriptor {

        /** The kind of a consumer-group container. */
        public static final String KIND = "consumer";

    }

    /**
     * The transactions of a transactional container, counted since it last started.
     *
     * @param committed       transactions committed
     * @param aborted         transactions aborted (their records are handled again)
     * @param lastCommit      when the last transaction committed (ISO-8601), or {@code null} before the first
     * @param lastAbortReason why the last transaction was aborted, or {@code null} when none was
     */
    public record TransactionsDescriptor(long committed, long aborted, @Nullable String lastCommit,
            @Nullable String lastAbortReason) {
    }

    /**
     * One share container: what it holds and what became of the records it received, counted since it started, and
     * its share group's lag as the broker last reported it. A {@code null} value is not known (left out of the JSON).
     *
     * @param kind             {@value #KIND}
     * @param id               the container id
     * @param groupId          the share group
     * @param clientId         the client id of its share consumer; of several, each has its number after it
     *                         ({@code <clientId>-1}, {@code -2}, ...)
     * @param consumers        its share consumers (members of the share group)
     * @param state            the lifecycle state
     * @param failure          why it failed, or {@code null}
     * @param subscription     the subscribed topics
     * @param acquired         records its consumer holds: fetched and not yet finally acknowledged
     * @param inFlight         records taken for handling and not yet acknowledged
     * @param acknowledgements acknowledgements the broker confirmed, by type ({@code ACCEPT}, {@code RELEASE},
     *                         {@code REJECT}, {@code RENEW})
     * @param deliveryCounts   records received, by delivery count ({@code "1"} for first deliveries)
     * @param lockExpirations  records whose acquisition lock expired before they were acknowledged
     * @param recovered        records given to the recoverer
     * @param lag              the share group's lag over the partitions of the subscribed topics whose lag the broker
     *                         gave, or {@code null} when it gave none
     * @param lagSampledAt     when the broker was last asked for the share group's offsets (ISO-8601), or {@code null}
     *                         before it answered
     * @param partitions       the share group's partitions of the subscribed topics, as the broker last reported them
     */
    public record ShareContainerDescriptor(String kind, String id, String groupId, String clientId, int consumers, String state,
            @Nullable String failure, List<String> subscription, int acquired, int inFlight,
            Map<String, Long> acknowledgements, Map<String, Long> deliveryCounts, long lockExpirations, long recovered,
            @Nullable Long lag, @Nullable String lagSampledAt, List<SharePartitionDescriptor> partitions)
            implements Descriptor {

        /** The kind of a share container. */
        public static final String KIND = "share";

    }

    /**
     * One partition of a share group, as the broker reports it.
     *
     * @param topic       the topic
     * @param partition   the partition number
     * @param startOffset the share-partition start offset: the earliest offset of the records still being delivered
     *                    or waiting (records after it may be done already)
     * @param lag         records of the partition not yet delivered for good, or {@code null} when the broker does not
     *                    give it
     */
    public record SharePartitionDescriptor(String topic, int partition, long startOffset, @Nullable Long lag) {
    }

    /**
     * One assigned partition; a {@code null} value is not known yet.
     *
     * @param topic            the topic
     * @param partition        the partition number
     * @param position         the next offset handed to the handler
     * @param committed        the offset last committed
     * @param highWatermark    the high-water mark of the last fetch
     * @param lastStableOffset the last stable offset of the last fetch
     * @param lag              records not yet committed
     * @param timeLagMillis    how long ago the first record not yet committed was written (estimate), as of
     *                         the lag tracker's latest sample
     * @param lagStatus        how the partition keeps up over the lag window, as of the lag tracker's latest
     *                         sample
     * @param lastPollTime     when the partition was last fetched (ISO-8601)
     * @param inFlight         records taken and not yet done
     */
    public record PartitionDescriptor(String topic, int partition, @Nullable Long position, @Nullable Long committed,
            @Nullable Long highWatermark, @Nullable Long lastStableOffset, @Nullable Long lag,
            @Nullable Long timeLagMillis, @Nullable String lagStatus, @Nullable String lastPollTime, int inFlight) {
    }

}
