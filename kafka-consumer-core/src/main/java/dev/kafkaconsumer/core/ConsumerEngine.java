package dev.kafkaconsumer.core;

import static dev.kafkaconsumer.core.Arguments.requireMaxRecords;
import static dev.kafkaconsumer.core.Arguments.requireNonNegative;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.internal.EngineConfig;
import dev.kafkaconsumer.core.internal.EngineCore;
import dev.kafkaconsumer.core.internal.RecordAccess;

/**
 * A Kafka consumer that any thread may call, with the consumer model of Python's aiokafka: group
 * membership, heartbeats, rebalances, fetching and auto-commit run in the background on one I/O thread
 * that owns the underlying {@link org.apache.kafka.clients.consumer.KafkaConsumer}, so a slow
 * application never loses its partitions by accident, and positions, committed offsets, high-water
 * marks and poll times can be read at any time.
 *
 * <pre>{@code
 * try (ConsumerEngine<String, String> engine = ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
 *         .bootstrapServers("127.0.0.1:9092")
 *         .groupId("orders-app")
 *         .property("auto.offset.reset", "earliest")
 *         .build()) {
 *     engine.subscribe(List.of("orders"));
 *     engine.start();                                   // returns once the group is joined
 *     for (ConsumerRecord<String, String> record : engine) {
 *         process(record);                              // positions are auto-committed every 5 s
 *     }
 * }
 * }</pre>
 *
 * <h2>How records flow</h2>
 * The I/O thread polls all the time and keeps what it fetched in bounded per-partition buffers;
 * {@code getOne} and {@code getMany} take whole fetched batches from those buffers directly, on the
 * caller's thread, without a round trip through the I/O thread. When a buffer is full its partition is
 * not fetched until the application has taken records from it, so a slow application makes the engine
 * pause fetching and memory stays bounded. Asking for chosen partitions ({@code getMany(timeout, tp1)})
 * leaves the others' buffers parked, which is how an application prioritises lagging partitions.
 *
 * <h2>Semantics of standard properties</h2>
 * <ul>
 * <li>{@code enable.auto.commit} (default true, with a group): the engine commits, every
 * {@code auto.commit.interval.ms} (default 5000) by time, the positions of records already
 * <em>returned</em> to the application, never of records only prefetched; also before partitions are
 * revoked and on stop. kafka-clients' own auto-commit is always off underneath.</li>
 * <li>{@code max.poll.records} (default 500): the default {@code maxRecords} of {@code getMany}.</li>
 * <li>{@code max.poll.interval.ms} (default 300000): the longest the application may go without
 * calling a get method before the member leaves the group; it rejoins at the next get call. Time spent
 * inside the engine's own fetching never counts, and heartbeats never depend on the application.</li>
 * <li>{@code group.protocol}: {@code classic} (default) and {@code consumer} (KIP-848) both work.</li>
 * </ul>
 *
 * <h2>Threads and rebalance listeners</h2>
 * Every method may be called from any thread. A {@link ConsumerRebalanceListener} runs on the I/O
 * thread; calls it makes back into the engine ({@code commit}, {@code committed}, {@code position},
 * {@code seek}, {@code seekToEnd}...) run inline and never deadlock. Once a revocation begins no further
 * record of the revoked partitions is handed out, so the positions committed during revocation cover
 * exactly what the application received, and records buffered for revoked partitions are dropped.
 * A get call does not end because a rebalance began: as in aiokafka, it waits while the listener runs
 * and goes on waiting, within its timeout, for records of the partitions that stay and of those the
 * rebalance assigns. So, as aiokafka's documentation warns, a listener must not wait for something that
 * a thread waiting in a get call holds (a lock taken around the get, say): take records outside such a
 * lock, or hand them over through a queue.
 * {@link CompletableFuture}s returned by the engine complete on its callback thread
 * ({@code kafka-consumer-callbacks-<client.id>}): keep dependent stages short or move them elsewhere.
 *
 * <h2>Timeouts and errors of the I/O thread</h2>
 * A method that the I/O thread runs for its caller ({@code position} before the start point is known,
 * {@code committed}, {@code commit}, {@code groupMetadata}, {@code seek*}, {@code offsetsForTimes}, {@code beginningOffsets},
 * {@code endOffsets}, {@code topics}, {@code partitionsForTopic}, and {@code subscribe}, {@code assign} and
 * {@code unsubscribe} once started) returns within {@code default.api.timeout.ms}, as kafka-clients' own
 * methods do, or throws kafka-clients' {@link org.apache.kafka.common.errors.TimeoutException} naming the
 * operation: {@code committed(orders-0) did not complete within 60000 ms (default.api.timeout.ms)}, followed
 * by whether it ran. One the I/O thread had not reached by then (a rebalance listener held it) is never run.
 * Nothing that a deserializer, an interceptor or a rebalance listener throws on the I/O thread, an
 * {@link Error} included, stops the engine. What comes out of the consumer's poll reaches the next get call
 * (or a {@code start()} still waiting to join); an exception from a rebalance listener is logged and the
 * rebalance goes on, and an {@code Error} from one reaches the next get call too. An {@code Error} reaches a
 * get call as the cause of a {@link org.apache.kafka.common.KafkaException}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ConsumerEngine<K, V> implements AutoCloseable, Iterable<ConsumerRecord<K, V>> {

    private static final TopicPartition[] ALL = new TopicPartition[0];

    private final EngineCore<K, V> core;
    private final RecordAccess<K, V> records;

    private ConsumerEngine(EngineCore<K, V> core) {
        this.core = core;
        this.records = core.records();
    }

    /**
     * Starts building an engine. The deserializers become the engine's: it closes them on stop.
     *
     * @param keyDeserializer   the key deserializer
     * @param valueDeserializer the value deserializer
     * @param <K>               the key type
     * @param <V>               the value type
     * @return a builder
     */
    public static <K, V> Builder<K, V> builder(Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new Builder<>(Objects.requireNonNull(keyDeserializer, "keyDeserializer"),
                Objects.requireNonNull(valueDeserializer, "valueDeserializer"));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the I/O thread. With a topic or pattern subscription (made before) and a group, returns
     * after the first join of the group, so that {@link #assignment()} is meaningful at once; without a
     * group, once the engine has read the partitions of the subscribed topics and assigned them. Under
     * {@code group.protocol=consumer} assignments are incremental: the first one may still be partial
     * while other members give partitions up.
     *
     * @throws IllegalStateException            if already started
     * @throws ConsumerStoppedException         if stopped
     * @throws org.apache.kafka.common.errors.TimeoutException if the group was not joined within
     *         {@code default.api.timeout.ms}; the engine keeps trying in the background
     * @throws org.apache.kafka.common.KafkaException the consumer's error, such as a
     *         {@link org.apache.kafka.common.errors.SaslAuthenticationException}, when one comes before the
     *         group is joined; the engine keeps trying in the background, with a back-off
     */
    public void start() {
        core.start();
    }

    /**
     * Stops the engine: hands out nothing more, commits consumed positions (with auto-commit), leaves
     * the group and closes the consumer within 30 seconds. Callers waiting in {@code getOne} or
     * {@code position} get a {@link ConsumerStoppedException}; callers waiting in {@code getMany} get an
     * empty map. Idempotent; may be called from a rebalance listener, in which case it returns at once
     * and the engine stops when the listener returns.
     */
    public void stop() {
        core.stop(Duration.ofSeconds(30));
    }

    /**
     * Stops the engine, closing the consumer within {@code timeout}; see {@link #stop()}.
     *
     * @param timeout how long the consumer may take to commit and leave the group
     */
    public void stop(Duration timeout) {
        core.stop(requireNonNegative(timeout, "timeout"));
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Returns whether the engine is started and its I/O thread is alive.
     *
     * @return true between {@link #start()} and {@link #stop()}
     */
    public boolean isRunning() {
        return core.isRunning();
    }

    /**
     * Returns the {@code client.id} of the underlying consumer, which also names the engine's threads.
     *
     * @return the client id, given or generated
     */
    public String clientId() {
        return core.config().clientId();
    }

    // ---------------------------------------------------------------- records

    /**
     * Waits for the next record, of the given partitions or of any assigned partition.
     *
     * @param partitions partitions to take from; none for all
     * @return the record
     * @throws ConsumerStoppedException        if the engine stops while waiting
     * @throws RecordDeserializationException  once for a record that cannot be deserialized, after every
     *         record before it was returned; the position moves past it
     * @throws NoOffsetForPartitionException   with {@code auto.offset.reset=none} and nothing committed
     * @throws IllegalStateException           if a given partition is not assigned
     */
    public ConsumerRecord<K, V> getOne(TopicPartition... partitions) {
        return records.getOne(null, partitions(partitions));
    }

    /**
     * Waits up to {@code timeout} for the next record; see {@link #getOne(TopicPartition...)}. A rebalance
     * does not end the wait.
     *
     * @param timeout    how long to wait
     * @param partitions partitions to take from; none for all
     * @return the record, or empty when none came in time
     */
    public Optional<ConsumerRecord<K, V>> getOne(Duration timeout, TopicPartition... partitions) {
        return Optional.ofNullable(records.getOne(requireNonNegative(timeout, "timeout"), partitions(partitions)));
    }

    /**
     * Returns up to {@code max.poll.records} buffered records, waiting up to {@code timeout} for at least
     * one; see {@link #getMany(Duration, int, TopicPartition...)}.
     *
     * @param timeout    how long to wait when nothing is buffered; zero returns what is buffered now
     * @param partitions partitions to take from; none for all
     * @return records by partition, in offset order; empty when none came in time, or when the engine
     *         stopped
     */
    public Map<TopicPartition, List<ConsumerRecord<K, V>>> getMany(Duration timeout, TopicPartition... partitions) {
        return getMany(timeout, core.config().maxPollRecords(), partitions);
    }

    /**
     * Returns up to {@code maxRecords} buffered records (in total, across partitions, taken round-robin, each
     * partition with records given an even share of {@code maxRecords}),
     * waiting up to {@code timeout} for at least one. While an application asks for some partitions only,
     * the others are not refetched: their buffers stay parked. A rebalance does not end the wait: records
     * of the partitions that stay and of those it assigns are returned as they come, within the timeout
     * (see "Threads and rebalance listeners" above for what a listener must then not wait for). A get for
     * chosen partitions that a rebalance takes away and does not give back throws
     * {@link IllegalStateException} once the rebalance ends.
     *
     * @param timeout    how long to wait when nothing is buffered; zero returns what is buffered now
     * @param maxRecords the most records to return, at least 1
     * @param partitions partitions to take from; none for all
     * @return records by partition, in offset order; empty when none came in time, or when the engine
     *         stopped while waiting
     * @throws IllegalArgumentException       if {@code maxRecords < 1} or the timeout is negative
     * @throws IllegalStateException          if a given partition is not assigned
     * @throws ConsumerStoppedException       if the engine was stopped before the call
     * @throws RecordDeserializationException as for {@link #getOne(TopicPartition...)}
     */
    public Map<TopicPartition, List<ConsumerRecord<K, V>>> getMany(Duration timeout, int maxRecords,
            TopicPartition... partitions) {
        return records.getMany(requireNonNegative(timeout, "timeout"), requireMaxRecords(maxRecords), partitions(partitions));
    }

    /**
     * Asks for the next record without blocking; see {@link #getOne(TopicPartition...)}.
     *
     * @param partitions partitions to take from; none for all
     * @return a future of the record, failed with {@link ConsumerStoppedException} if the engine stops first
     */
    public CompletableFuture<ConsumerRecord<K, V>> getOneAsync(TopicPartition... partitions) {
        return records.getOneAsync(partitions(partitions));
    }

    /**
     * Asks for records without blocking; see {@link #getMany(Duration, int, TopicPartition...)}.
     *
     * @param timeout    how long to wait for at least one record
     * @param maxRecords the most records to return, at least 1
     * @param partitions partitions to take from; none for all
     * @return a future of records by partition, empty when none came in time or the engine stopped
     */
    public CompletableFuture<Map<TopicPartition, List<ConsumerRecord<K, V>>>> getManyAsync(Duration timeout, int maxRecords,
            TopicPartition... partitions) {
        return records.getManyAsync(requireNonNegative(timeout, "timeout"), requireMaxRecords(maxRecords), partitions(partitions));
    }

    /**
     * Returns an iterator that calls {@link #getOne(TopicPartition...)} in a loop; {@code hasNext()} waits
     * for the next record and returns false once the engine stops.
     *
     * @return a new iterator; not thread-safe itself, though several may be used at once
     */
    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        return new Iterator<>() {
            private ConsumerRecord<K, V> next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = getOne();
                    } catch (ConsumerStoppedException e) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public ConsumerRecord<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("The consumer engine is stopped");
                }
                ConsumerRecord<K, V> record = next;
                next = null;
                return record;
            }
        };
    }

    // ---------------------------------------------------------------- positions and offsets

    /**
     * Returns the offset of the next record to be returned (last returned + 1). Before anything is
     * returned it waits for the start point: the committed offset, else {@code auto.offset.reset}.
     *
     * @param partition an assigned partition
     * @return the position
     * @throws IllegalStateException         if the partition is not assigned
     * @throws NoOffsetForPartitionException with {@code auto.offset.reset=none} and nothing committed
     */
    public long position(TopicPartition partition) {
        return core.position(Objects.requireNonNull(partition, "partition"));
    }

    /**
     * Returns the position if the engine knows it, without waiting: for monitoring, which must not
     * block. Unlike {@link #position(TopicPartition)} it never asks the broker for the start point.
     *
     * @param partition an assigned partition
     * @return the position, or empty before the start point is known
     * @throws IllegalStateException if the partition is not assigned
     */
    public OptionalLong currentPosition(TopicPartition partition) {
        return records.currentPosition(Objects.requireNonNull(partition, "partition"));
    }

    /**
     * Returns the underlying consumer's metrics. kafka-clients keeps them in a thread-safe registry, so
     * this is read directly, without a round trip through the I/O thread; for Micrometer's
     * {@code KafkaClientMetrics} and the like.
     *
     * @return the metrics by name
     */
    public Map<MetricName, ? extends Metric> metrics() {
        return core.metrics();
    }

    /**
     * Returns the offset committed for the group, from the broker.
     *
     * @param partition any partition
     * @return the committed offset, or {@code null} when none
     * @throws InvalidGroupIdException without a group id
     */
    public OffsetAndMetadata committed(TopicPartition partition) {
        return core.committed(Objects.requireNonNull(partition, "partition"));
    }

    /**
     * Returns the consumer's group metadata (group id, generation or member epoch, member id, group instance
     * id), read on the I/O thread, within {@code default.api.timeout.ms} like the other lookups. Pass it to
     * {@link org.apache.kafka.clients.producer.Producer#sendOffsetsToTransaction(Map, ConsumerGroupMetadata)}
     * to commit consumed offsets in a producer's transaction (exactly-once consume-transform-produce, KIP-447):
     * the broker then refuses the offsets, and the transaction with them, if the group has moved on to a new
     * generation since, which is what fences a zombie that lost its partitions. So read it for each
     * transaction, not once: it is valid for the current generation only. From a rebalance listener it runs
     * inline, and carries the generation whose partitions are being revoked.
     *
     * @return the group metadata now
     * @throws IllegalStateException    if the engine has no group id
     * @throws ConsumerStoppedException if the engine is stopped
     */
    public ConsumerGroupMetadata groupMetadata() {
        return core.groupMetadata();
    }

    /**
     * Commits the consumed positions of all assigned partitions and waits for the broker.
     *
     * @throws InvalidGroupIdException without a group id
     * @throws CommitFailedException   if a rebalance took the partitions first
     */
    public void commit() {
        core.commit();
    }

    /**
     * Commits the given offsets (the offset of the next record to read: last processed + 1) and waits.
     *
     * @param offsets offsets by partition
     * @throws InvalidGroupIdException  without a group id
     * @throws CommitFailedException    if a rebalance took the partitions first: the group went on without
     *         this member, or, under a topic or pattern subscription, a given partition is no longer assigned
     *         to it (brokers would accept the commit and overwrite the offsets of its new owner; aiokafka
     *         refuses it too). Nothing of a refused commit is committed.
     * @throws IllegalArgumentException for a negative offset
     */
    public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        core.commit(requireOffsets(offsets));
    }

    /**
     * Commits the consumed positions of all assigned partitions without waiting.
     *
     * @return a future that completes when the broker accepted the commit, or fails with its error
     * @throws InvalidGroupIdException without a group id
     */
    public CompletableFuture<Void> commitAsync() {
        return core.commitAsync(null);
    }

    /**
     * Commits the given offsets without waiting.
     *
     * @param offsets offsets by partition
     * @return a future that completes when the broker accepted the commit, or fails with its error, or with
     *         {@link CommitFailedException} for a partition no longer assigned, as for {@link #commit(Map)}
     */
    public CompletableFuture<Void> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        return core.commitAsync(requireOffsets(offsets));
    }

    /**
     * Moves the position of an assigned partition and drops the records buffered for it. May be called
     * before {@link #start()} on partitions {@linkplain #assign(Collection) assigned by hand}: consumption
     * then begins there.
     *
     * @param partition an assigned partition
     * @param offset    the next offset to return, not negative
     * @throws IllegalArgumentException for a negative offset
     * @throws IllegalStateException    if the partition is not assigned
     */
    public void seek(TopicPartition partition, long offset) {
        Objects.requireNonNull(partition, "partition");
        if (offset < 0) {
            throw new IllegalArgumentException("Seek offset must not be negative, was " + offset + " for " + partition);
        }
        core.seek(partition, offset);
    }

    /**
     * Moves the position to the first offset of each partition and returns once it is known.
     *
     * @param partitions assigned partitions; none for all assigned
     */
    public void seekToBeginning(TopicPartition... partitions) {
        core.seekToBeginning(partitions(partitions));
    }

    /**
     * Moves the position to the end of each partition (the last stable offset under read_committed)
     * and returns once it is known.
     *
     * @param partitions assigned partitions; none for all assigned
     */
    public void seekToEnd(TopicPartition... partitions) {
        core.seekToEnd(partitions(partitions));
    }

    /**
     * Moves the position of each partition to its committed offset, offset 0 included.
     *
     * @param partitions assigned partitions; none for all assigned
     * @return the committed offset of each partition, a {@code null} value where nothing is committed
     *         (that partition's position is left as it was)
     */
    public Map<TopicPartition, OffsetAndMetadata> seekToCommitted(TopicPartition... partitions) {
        return core.seekToCommitted(partitions(partitions));
    }

    /**
     * Looks up, for each partition, the first offset whose timestamp is at or after the given one.
     *
     * @param timestamps milliseconds since the epoch by partition, not negative
     * @return offsets by partition, a {@code null} value where no record is that recent
     * @throws IllegalArgumentException for a negative timestamp
     */
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        Objects.requireNonNull(timestamps, "timestamps");
        timestamps.forEach((partition, timestamp) -> {
            if (timestamp == null || timestamp < 0) {
                throw new IllegalArgumentException("Timestamp must not be negative, was " + timestamp + " for " + partition);
            }
        });
        return core.offsetsForTimes(timestamps);
    }

    /**
     * Returns the first offset of each partition. Positions do not change.
     *
     * @param partitions any partitions
     * @return offsets by partition
     */
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return core.beginningOffsets(requirePartitions(partitions));
    }

    /**
     * Returns the end offset of each partition (last offset + 1; the last stable offset under
     * read_committed). Positions do not change.
     *
     * @param partitions any partitions
     * @return offsets by partition
     */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return core.endOffsets(requirePartitions(partitions));
    }

    /**
     * Returns the high-water mark that the last fetch response for the partition carried; no request. It is
     * known by the time a get returns a record of the partition, being published together with the record.
     *
     * @param partition an assigned partition
     * @return the high-water mark, or empty before the first fetch response
     * @throws IllegalStateException if the partition is not assigned
     */
    public OptionalLong highwater(TopicPartition partition) {
        return records.highwater(Objects.requireNonNull(partition, "partition"));
    }

    /**
     * Returns the last stable offset that the last fetch response for the partition carried; no request.
     * Under read_committed it is known by the time a get returns a record of the partition.
     *
     * @param partition an assigned partition
     * @return the last stable offset, or empty before the first fetch response
     * @throws IllegalStateException if the partition is not assigned
     */
    public OptionalLong lastStableOffset(TopicPartition partition) {
        return records.lastStableOffset(Objects.requireNonNull(partition, "partition"));
    }

    /**
     * Returns when the engine last received a fetch response covering the partition, even an empty one:
     * the wall-clock time of the latest poll during which the partition was being fetched. A partition
     * whose buffer is parked (full, paused, or not asked for) keeps the time of its last fetch.
     *
     * @param partition an assigned partition
     * @return milliseconds since the epoch, or empty before the first fetch response
     * @throws IllegalStateException if the partition is not assigned
     */
    public OptionalLong lastPollTimestamp(TopicPartition partition) {
        return records.lastPollTimestamp(Objects.requireNonNull(partition, "partition"));
    }

    // ---------------------------------------------------------------- subscription

    /**
     * Subscribes to topics, replacing any topic or pattern subscription; an empty collection
     * unsubscribes. May be called before {@link #start()}.
     *
     * <p>Without a group id, as in aiokafka, there is no coordinator: the engine assigns itself every
     * partition of the topics, looking at the cluster's metadata again every {@code metadata.max.age.ms}
     * (default 5 minutes) to pick up partitions added later and topics created later; the listener hears
     * of each change. Nothing is committed ({@code commit} and {@code committed} throw
     * {@link InvalidGroupIdException}) and {@code auto.offset.reset} decides where each partition starts.
     *
     * @param topics topic names
     * @throws IllegalStateException   if partitions were assigned by hand
     */
    public void subscribe(Collection<String> topics) {
        subscribe(topics, null);
    }

    /**
     * Subscribes to topics with a rebalance listener; see {@link #subscribe(Collection)}.
     *
     * @param topics   topic names
     * @param listener called on the I/O thread around each rebalance, or {@code null}
     */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        core.subscribe(Arguments.topicNames(topics), listener);
    }

    /**
     * Subscribes to every topic whose name matches, now and later: topics created later are picked up
     * when the consumer next refreshes its metadata ({@code metadata.max.age.ms}). Without a group id,
     * the engine assigns itself the partitions, as for {@link #subscribe(Collection)}.
     *
     * @param pattern  the topic name pattern
     * @param listener called on the I/O thread around each rebalance, or {@code null}
     */
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        core.subscribe(Objects.requireNonNull(pattern, "pattern"), listener);
    }

    /**
     * Assigns partitions by hand, replacing a previous assignment; no group rebalance happens. With a
     * group id, commits still work. An empty collection unassigns. It takes effect at once, also before
     * {@link #start()}: then {@link #assignment()} returns the partitions, and {@link #pause}, {@link #resume},
     * {@link #paused()} and {@link #seek} work on them, a pause made before {@code start()} holding after it
     * and a seek made before it being where consumption begins.
     *
     * @param partitions the partitions to consume
     * @throws IllegalStateException if subscribed to topics or a pattern
     */
    public void assign(Collection<TopicPartition> partitions) {
        core.assign(new LinkedHashSet<>(requirePartitions(partitions)));
    }

    /** Drops the subscription or assignment, committing consumed positions first (with auto-commit). */
    public void unsubscribe() {
        core.unsubscribe();
    }

    /**
     * Returns the subscribed topics; for a pattern, the topics it currently matches.
     *
     * @return topic names, empty when not subscribed
     */
    public Set<String> subscription() {
        return core.subscription();
    }

    /**
     * Returns the partitions assigned now; empty while a rebalance takes everything away.
     *
     * @return the assignment
     */
    public Set<TopicPartition> assignment() {
        return records.assignment();
    }

    /**
     * Stops fetching and handing out records of the partitions; what is buffered is kept. No rebalance.
     * May be called before {@link #start()} on partitions assigned by hand.
     *
     * @param partitions assigned partitions
     * @throws IllegalStateException if a partition is not assigned
     */
    public void pause(TopicPartition... partitions) {
        records.pause(partitions(partitions));
    }

    /**
     * Resumes partitions paused with {@link #pause(TopicPartition...)}.
     *
     * @param partitions assigned partitions
     * @throws IllegalStateException if a partition is not assigned
     */
    public void resume(TopicPartition... partitions) {
        records.resume(partitions(partitions));
    }

    /**
     * Returns the partitions paused by the application.
     *
     * @return paused partitions
     */
    public Set<TopicPartition> paused() {
        return records.paused();
    }

    /**
     * Returns the topics that the cluster has and this client may see.
     *
     * @return topic names
     */
    public Set<String> topics() {
        return core.topics();
    }

    /**
     * Returns the partition numbers of a topic.
     *
     * @param topic a topic name
     * @return partition numbers, empty when the topic is unknown
     */
    public Set<Integer> partitionsForTopic(String topic) {
        return core.partitionsForTopic(Objects.requireNonNull(topic, "topic"));
    }

    // ---------------------------------------------------------------- argument checks

    private static List<TopicPartition> partitions(TopicPartition[] partitions) {
        List<TopicPartition> list = Arrays.asList(partitions == null ? ALL : partitions);
        if (list.contains(null)) {
            throw new IllegalArgumentException("Partitions must not be null: " + list);
        }
        return List.copyOf(new LinkedHashSet<>(list));
    }

    private static Collection<TopicPartition> requirePartitions(Collection<TopicPartition> partitions) {
        Objects.requireNonNull(partitions, "partitions");
        for (TopicPartition partition : partitions) {
            if (partition == null) {
                throw new IllegalArgumentException("Partitions must not be null: " + partitions);
            }
        }
        return partitions;
    }

    private static Map<TopicPartition, OffsetAndMetadata> requireOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Objects.requireNonNull(offsets, "offsets");
        offsets.forEach((partition, offset) -> {
            if (partition == null || offset == null) {
                throw new IllegalArgumentException("Offsets must not contain null partitions or offsets: " + offsets);
            }
        });
        return new LinkedHashMap<>(offsets);
    }

    /**
     * Builds a {@link ConsumerEngine}. Not thread-safe; each {@link #build()} makes a new engine.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {

        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private long maxBufferedBytesPerPartition = EngineConfig.DEFAULT_MAX_BUFFERED_BYTES_PER_PARTITION;
        private long maxBufferedBytes = EngineConfig.DEFAULT_MAX_BUFFERED_BYTES;

        private Builder(Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
            this.keyDeserializer = keyDeserializer;
            this.valueDeserializer = valueDeserializer;
        }

        /**
         * Sets {@code bootstrap.servers}.
         *
         * @param servers comma-separated {@code host:port} list
         * @return this builder
         */
        public Builder<K, V> bootstrapServers(String servers) {
            return property(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers, "servers"));
        }

        /**
         * Sets {@code group.id}. Without one the engine neither joins a group nor commits.
         *
         * @param groupId the consumer group
         * @return this builder
         */
        public Builder<K, V> groupId(String groupId) {
            return property(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        }

        /**
         * Sets any kafka-clients consumer property.
         *
         * @param name  the property name, as in {@link ConsumerConfig}
         * @param value its value
         * @return this builder
         */
        public Builder<K, V> property(String name, Object value) {
            properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets kafka-clients consumer properties.
         *
         * @param values properties by name
         * @return this builder
         */
        public Builder<K, V> properties(Map<String, ?> values) {
            Objects.requireNonNull(values, "values").forEach(this::property);
            return this;
        }

        /**
         * Bounds the records buffered for one partition (serialized key and value bytes); beyond it the
         * partition is not fetched until the application takes records. Default 2 MiB. While such a partition
         * has records at the broker, the partitions that have none (or no more than one poll of the I/O thread hands
         * out) are not fetched either, until it is fetched again, for at most {@code fetch.max.wait.ms}: the broker
         * would keep their fetch up to {@code fetch.max.wait.ms}, and kafka-clients sends no other fetch to that
         * broker meanwhile. A record arriving on such a partition waits at most that much longer; after a hold that
         * long (the backlog drains slowly), none starts for ten times {@code fetch.max.wait.ms}.
         *
         * @param bytes a positive number of bytes
         * @return this builder
         */
        public Builder<K, V> maxBufferedBytesPerPartition(long bytes) {
            this.maxBufferedBytesPerPartition = bytes;
            return this;
        }

        /**
         * Bounds the records buffered for all partitions together; beyond it nothing is fetched until the
         * application takes records. Default 32 MiB.
         *
         * @param bytes a positive number of bytes
         * @return this builder
         */
        public Builder<K, V> maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return this;
        }

        /**
         * Validates the properties and creates the engine, not yet started.
         *
         * @return a new engine
         * @throws org.apache.kafka.common.config.ConfigException for a missing or bad property
         */
        public ConsumerEngine<K, V> build() {
            EngineConfig config = new EngineConfig(properties, keyDeserializer, valueDeserializer,
                    maxBufferedBytesPerPartition, maxBufferedBytes);
            return new ConsumerEngine<>(new EngineCore<>(config, keyDeserializer, valueDeserializer));
        }
    }
}
