package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.internal.container.ContainerConfig;
import dev.kafkaconsumer.core.internal.container.ContainerRuntime;

/**
 * Runs a handler over a subscription: takes records from its own {@link ConsumerEngine}, hands them to
 * the handler on worker threads in the configured {@link Ordering}, tracks which are done, and commits,
 * for each partition, the offset below which every record is done. A slow handler never costs the
 * group membership (the engine's I/O thread keeps heartbeating), and memory stays flat (at most
 * {@code maxInFlight} records are taken from the engine and not yet done; the engine's buffers bound the
 * rest).
 *
 * <pre>{@code
 * ConsumerContainer<String, String> container = ConsumerContainer.builder("orders", new StringDeserializer(), new StringDeserializer())
 *         .bootstrapServers("127.0.0.1:9092")
 *         .groupId("orders-app")
 *         .topics(List.of("orders"))
 *         .handler(record -> process(record.value()))
 *         .ordering(Ordering.KEY)
 *         .concurrency(32)
 *         .build();
 * container.start();
 * }</pre>
 *
 * <p>The container reads raw bytes and deserializes on its worker threads, so that a record that cannot
 * be deserialized goes straight to the {@link Recoverer} with its original bytes, and its partition
 * keeps flowing. A handler that fails is retried as the {@link RetryPolicy} says, then recovered.
 * Before partitions are revoked, the records being handled for them finish (within the revocation
 * timeout) and are committed; records taken but not started are left for the next owner, which starts
 * exactly where this one stopped. Under KEY and UNORDERED ordering, records below the highest one
 * started still run first, so that the records done form a prefix and the next owner repeats nothing.
 *
 * <p><b>Threads, and what keeps the JVM alive.</b> A running container keeps its JVM alive, as a poll loop
 * on an application thread would (and as Spring for Apache Kafka's listener containers do): its dispatcher
 * thread, {@code kafka-consumer-dispatch-<name>-1}, is not a daemon, and lives from {@link #start()} until
 * the container has stopped or failed. So a {@code main} that starts a container and returns goes on
 * consuming; to end it, call {@link #stop(Duration)}, from a shutdown hook for instance, which makes the
 * final commit before the dispatcher ends. After a failure, the stop (with its final commit) runs on
 * {@code kafka-consumer-stop-<name>}, which is not a daemon either, within a 30-second timeout. Every
 * other thread is a daemon, so that nothing of a stopped container holds the JVM: the workers
 * ({@code kafka-consumer-worker-<name>-<n>}, or virtual threads, which are always daemons), which may
 * be stuck in a handler that ignores interruption; the timer that commits on schedule; the processing
 * watchdog; a transactional container's transaction thread ({@code kafka-consumer-txn-<name>}); and the engine's
 * I/O and callback threads, which serve the dispatcher. A JVM ended by a
 * signal (SIGTERM) does not wait for any of them: stop the container in a shutdown hook to commit
 * what is done.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ConsumerContainer<K, V> implements AutoCloseable {

    /** Records (or batches) handled at once unless {@link Builder#concurrency(int)} says otherwise. */
    public static final int DEFAULT_CONCURRENCY = ContainerConfig.DEFAULT_CONCURRENCY;

    /** The ordering unless {@link Builder#ordering(Ordering)} says otherwise. */
    public static final Ordering DEFAULT_ORDERING = ContainerConfig.DEFAULT_ORDERING;

    /** The commit mode unless {@link Builder#commitMode(CommitMode)} says otherwise. */
    public static final CommitMode DEFAULT_COMMIT_MODE = ContainerConfig.DEFAULT_COMMIT_MODE;

    /** How often TIME and MANUAL modes commit unless {@link Builder#commitInterval(Duration)} says otherwise. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = ContainerConfig.DEFAULT_COMMIT_INTERVAL;

    /** How long in-flight records of revoked partitions may take unless {@link Builder#revocationTimeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_REVOCATION_TIMEOUT = ContainerConfig.DEFAULT_REVOCATION_TIMEOUT;

    /**
     * The most that {@code max.poll.records} raises the default {@code maxInFlight} to: an absurd
     * {@code max.poll.records} (say {@code Integer.MAX_VALUE}) must not let a backlog into memory.
     */
    public static final int MAX_DEFAULT_IN_FLIGHT = ContainerConfig.MAX_DEFAULT_IN_FLIGHT;

    private final ContainerRuntime<K, V> runtime;

    private ConsumerContainer(ContainerConfig<K, V> config) {
        // the runtime knows its listeners, not this class: it hands each to these to be told of the start and stop
        this.runtime = new ContainerRuntime<>(config, listener -> listener.started(this), listener -> listener.stopped(this));
    }

    /**
     * Starts building a container.
     *
     * @param name              the container's name: it names its threads and identifies it in snapshots
     * @param keyDeserializer   deserializes keys on the worker threads
     * @param valueDeserializer deserializes values on the worker threads
     * @param <K>               the key type
     * @param <V>               the value type
     * @return a builder
     */
    public static <K, V> Builder<K, V> builder(String name, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new Builder<>(name, keyDeserializer, valueDeserializer);
    }

    /**
     * Returns the container's name.
     *
     * @return the name given to the builder
     */
    public String name() {
        return runtime.name();
    }

    /**
     * Starts consuming, without waiting for the broker: the container goes from {@link ContainerState#NEW} to
     * {@link ContainerState#STARTING} until its engine has joined the group (or taken its assigned partitions),
     * then {@link ContainerState#RUNNING} (or {@link ContainerState#PAUSED} if it was paused meanwhile). While the broker cannot be reached it keeps trying. From now until
     * it stops or fails, the container keeps the JVM alive (see the class description).
     *
     * @throws IllegalStateException if the container was started or stopped before
     */
    public void start() {
        runtime.start();
    }

    /** Stops within 30 seconds; see {@link #stop(Duration)}. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /**
     * Stops gracefully: takes no more records, lets the records being handled finish within
     * {@code timeout}, commits what is done, leaves the group and closes the recoverer. Records taken
     * from the engine but not started, and records still unfinished at the deadline, are not committed:
     * they are read again after a restart, so a stop costs no more than the records being handled, not
     * the whole in-flight bound. Idempotent: a second stop, or one while a stop is under way, returns at once.
     * A container stopped before its start goes to {@link ContainerState#STOPPED} without starting. A failed
     * container stops itself, with its final commit, on {@code kafka-consumer-stop-<name>}, and stays
     * {@link ContainerState#FAILED}; a stop then returns at once.
     *
     * @param timeout how long the records being handled may take
     */
    public void stop(Duration timeout) {
        runtime.stop(Objects.requireNonNull(timeout, "timeout"));
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Returns whether the container is started and neither stopped nor failed.
     *
     * @return true while running or paused
     */
    public boolean isRunning() {
        ContainerState state = state();
        return state == ContainerState.RUNNING || state == ContainerState.PAUSED;
    }

    /**
     * Returns the lifecycle state: {@link ContainerState#NEW} until {@link #start()}; see {@link ContainerState}
     * for the rest.
     *
     * @return the state now
     */
    public ContainerState state() {
        return runtime.state();
    }

    /**
     * Stops taking new records for every assigned partition (and partitions assigned later); records in
     * flight finish. No rebalance. A pause asked for before the container has joined its group (while it is
     * {@link ContainerState#NEW} or {@link ContainerState#STARTING}) holds once it has: it then goes from
     * {@code STARTING} to {@link ContainerState#PAUSED}. A pause of a container that stops, stopped or failed
     * does nothing.
     */
    public void pause() {
        runtime.pause();
    }

    /** Resumes after {@link #pause()}; does nothing to a container that stops, stopped or failed. */
    public void resume() {
        runtime.resume();
    }

    /**
     * Moves partitions to a new position, for replaying or skipping records. The partitions stop handing
     * out records; records queued for them are dropped and records being handled finish (within the
     * revocation timeout; ones still running after it finish, but no longer count for commits); then the
     * engine seeks, the offset tracking of the partitions starts afresh at the new position, which is
     * committed with the next commit, and the partitions resume (unless the container is paused).
     * The target offsets are resolved and checked before anything changes, so a bad request changes nothing.
     *
     * @param partitions assigned partitions; empty for every assigned partition
     * @param target     where to move them
     * @return the new position of each partition
     * @throws IllegalStateException    if the container is not running or paused
     * @throws IllegalArgumentException if a partition is not assigned, or an offset lies outside a partition
     */
    public Map<TopicPartition, Long> seek(Collection<TopicPartition> partitions, SeekTarget target) {
        return runtime.seek(Objects.requireNonNull(partitions, "partitions"), Objects.requireNonNull(target, "target"));
    }

    /**
     * Returns where the container stands on each assigned partition, without a request to the broker.
     *
     * @return a snapshot
     */
    public ContainerSnapshot snapshot() {
        return runtime.snapshot();
    }

    /**
     * Returns the metrics of the container's underlying Kafka consumer, as kafka-clients keeps them (fetch
     * rates, lag, coordinator and network metrics); read without a round trip to the consumer's thread.
     *
     * @return the metrics, empty before the container started
     */
    public Map<MetricName, ? extends Metric> metrics() {
        return runtime.metrics();
    }

    /**
     * Builds a {@link ConsumerContainer}. Not thread-safe.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {

        private final ContainerConfig.Builder<K, V> config;

        private Builder(String name, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("A container needs a name");
            }
            this.config = ContainerConfig.builder(name, keyDeserializer, valueDeserializer);
        }

        /** Sets {@code bootstrap.servers}. @param servers host:port list @return this builder */
        public Builder<K, V> bootstrapServers(String servers) {
            return property(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers, "servers"));
        }

        /** Sets {@code group.id}; needed for a topic or pattern subscription and for commits. @param groupId the group @return this builder */
        public Builder<K, V> groupId(String groupId) {
            return property(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        }

        /** Sets any kafka-clients consumer property (deserializer settings excepted). @param name property @param value value @return this builder */
        public Builder<K, V> property(String name, Object value) {
            config.property(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets kafka-clients consumer properties. @param values by name @return this builder */
        public Builder<K, V> properties(Map<String, ?> values) {
            Objects.requireNonNull(values, "values").forEach(this::property);
            return this;
        }

        /** Subscribes to topics. @param names topic names @return this builder */
        public Builder<K, V> topics(Collection<String> names) {
            config.topics(Objects.requireNonNull(names, "names"));
            return this;
        }

        /** Subscribes to every topic matching, now and later. @param topicPattern the pattern @return this builder */
        public Builder<K, V> topicPattern(Pattern topicPattern) {
            config.pattern(Objects.requireNonNull(topicPattern, "topicPattern"));
            return this;
        }

        /** Consumes these partitions, assigned by hand (no group rebalances). @param assigned partitions @return this builder */
        public Builder<K, V> partitions(Collection<TopicPartition> assigned) {
            config.partitions(Objects.requireNonNull(assigned, "assigned"));
            return this;
        }

        /** Adds a listener called around each rebalance, after the container's own work. @param listener the listener @return this builder */
        public Builder<K, V> rebalanceListener(ConsumerRebalanceListener listener) {
            config.rebalanceListener(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds a listener that hears what the container does, for metrics and tracing. @param listener the listener @return this builder */
        public Builder<K, V> listener(ContainerListener listener) {
            config.listener(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an interceptor around each handler call (the first added is outermost). @param interceptor the interceptor @return this builder */
        public Builder<K, V> interceptor(HandlerInterceptor interceptor) {
            config.interceptor(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Handles one record at a time, synchronously. @param handler the handler @return this builder */
        public Builder<K, V> handler(RecordProcessor.SyncRecordHandler<K, V> handler) {
            return processor(RecordProcessor.of(Objects.requireNonNull(handler, "handler")));
        }

        /** Handles one record at a time, asynchronously or with an acknowledgement. @param processor the processor @return this builder */
        public Builder<K, V> processor(RecordProcessor<K, V> processor) {
            config.recordProcessor(Objects.requireNonNull(processor, "processor"));
            return this;
        }

        /** Handles batches of one partition, synchronously. @param handler the handler @return this builder */
        public Builder<K, V> batchHandler(BatchProcessor.SyncBatchHandler<K, V> handler) {
            return batchProcessor(BatchProcessor.of(Objects.requireNonNull(handler, "handler")));
        }

        /** Handles batches of one partition, asynchronously or with an acknowledgement. @param processor the processor @return this builder */
        public Builder<K, V> batchProcessor(BatchProcessor<K, V> processor) {
            config.batchProcessor(Objects.requireNonNull(processor, "processor"));
            return this;
        }

        /**
         * Makes the container transactional (exactly-once consume-transform-produce): the handler sends its
         * output records through the {@link TransactionalSender} it is given, and the container writes them, with
         * the input offsets, in Kafka transactions of its own producer, so that a {@code read_committed} reader of
         * the outputs sees each input's outputs exactly once. See {@link Transactions} for the rule and the
         * producer. Ordering, concurrency, the retry policy and the recoverer apply as usual; a dead letter of
         * {@link Recoverers#deadLetterTopic(Map)} goes out in the failed record's transaction, through the
         * transactional producer (the recoverer's own producer is not used); another recoverer runs outside the
         * transaction. The container never commits through its consumer and never calls
         * {@link ContainerListener#committed}; it calls {@link ContainerListener#transactionCommitted} and
         * {@link ContainerListener#transactionAborted} instead.
         *
         * <p>{@link #build()} refuses a transactional container that also has a {@code handler},
         * {@code processor} or batch handler, partitions assigned by hand (a transaction's offsets need the group's
         * generation to fence zombies), or an explicit {@code commitMode} or {@code commitInterval} (a transaction
         * commits on {@link Transactions.Builder#commitInterval}). Unless {@code isolation.level} is given, input
         * is read {@code read_committed}.
         *
         * @param transactions the transactional producer's configuration
         * @param handler      handles each record, sending its outputs
         * @param <KO>         the output key type
         * @param <VO>         the output value type
         * @return this builder
         */
        public <KO, VO> Builder<K, V> transactional(Transactions<KO, VO> transactions,
                TransactionalRecordHandler<K, V, KO, VO> handler) {
            config.transactional(Objects.requireNonNull(transactions, "transactions"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** How many records (or batches) may be handled at once; 1 by default. @param count at least 1 @return this builder */
        public Builder<K, V> concurrency(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + count);
            }
            config.concurrency(count);
            return this;
        }

        /** The order records are handled in; {@link Ordering#PARTITION} by default. @param order the ordering @return this builder */
        public Builder<K, V> ordering(Ordering order) {
            config.ordering(Objects.requireNonNull(order, "order"));
            return this;
        }

        /** Whether workers are virtual threads (needs a Java 21+ runtime). @param enabled true for virtual threads @return this builder */
        public Builder<K, V> virtualThreads(boolean enabled) {
            config.virtualThreads(enabled);
            return this;
        }

        /** When to commit; {@link CommitMode#TIME} by default. @param mode the mode @return this builder */
        public Builder<K, V> commitMode(CommitMode mode) {
            config.commitMode(Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /** How often TIME and MANUAL modes commit; 5 s by default. @param interval positive @return this builder */
        public Builder<K, V> commitInterval(Duration interval) {
            if (Objects.requireNonNull(interval, "interval").isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("commitInterval must be positive, was " + interval);
            }
            config.commitInterval(interval);
            return this;
        }

        /** How a failing handler is retried; {@link RetryPolicy#DEFAULT} by default. @param policy the policy @return this builder */
        public Builder<K, V> retryPolicy(RetryPolicy policy) {
            config.retryPolicy(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** What takes records that retries could not fix; {@link Recoverers#logAndSkip()} by default. @param taker the recoverer, closed with the container @return this builder */
        public Builder<K, V> recoverer(Recoverer<K, V> taker) {
            config.recoverer(Objects.requireNonNull(taker, "taker"));
            return this;
        }

        /**
         * The most records taken from the engine and not yet done. Unset, the bound moves with the handling: between
         * 4 × and 16 × {@code max.poll.records} (2,000 and 8,000; at least 4 × concurrency, and no more than
         * {@link #MAX_DEFAULT_IN_FLIGHT} for {@code max.poll.records}), it holds about 50 ms of handling at the rate
         * records were handled lately, so that fast handlers have records while the dispatcher takes more (it takes again
         * once half of the bound is free) and slow ones do not hold more than they need; and it holds no more records than
         * the engine's {@link #maxBufferedBytes(long)} (32 MiB by default) holds of keys and values of the sizes taken
         * lately, but never fewer than the concurrency, so that records of a megabyte are not taken by the thousand. A
         * bound set here stays, and bounds records only. It bounds the container's memory beyond the engine's buffers,
         * not the time a stop or a revocation takes: only the records being handled finish then. Each partition holds at
         * most its even share of it, {@code maxInFlight} / the partitions assigned, but no less than 4 × concurrency (and
         * no more than {@code maxInFlight}): a partition whose handler is behind does not hold the room that the others'
         * workers need, and the others are taken from while it waits (its records stay buffered in the engine, within the
         * engine's bounds).
         *
         * @param records at least 1
         * @return this builder
         */
        public Builder<K, V> maxInFlight(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + records);
            }
            config.maxInFlight(records);
            return this;
        }

        /** How long records in flight for revoked partitions may take before the revocation goes on; 30 s by default. @param timeout not negative @return this builder */
        public Builder<K, V> revocationTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("revocationTimeout must not be negative, was " + timeout);
            }
            config.revocationTimeout(timeout);
            return this;
        }

        /**
         * Limits how long one handler call may take. A call over the limit is reported (a WARN log naming
         * the record, the worker thread and its stack, and {@link ContainerListener#processingTimedOut}) and
         * its worker thread is interrupted once: a handler blocked in interruptible I/O or a wait then fails
         * and goes through the {@link RetryPolicy} and the {@link Recoverer} like any failure. The record is
         * not committed until its handler returns or the recoverer takes it, so nothing is lost; a handler that
         * ignores the interrupt simply runs on. Only the synchronous part of a call is watched.
         *
         * <p>No limit by default: how long a handler may legitimately take is the application's to say, the
         * group membership does not depend on it (the engine's I/O thread keeps heartbeating), and an
         * interrupt is not harmless (it closes an NIO channel the handler is using), so it must be asked for.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder<K, V> processingTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("processingTimeout must be positive, was " + timeout
                        + "; leave it unset for no limit");
            }
            config.processingTimeout(timeout);
            return this;
        }

        /**
         * Bounds the records the container's engine buffers for one partition (serialized key and value
         * bytes) before they are taken; beyond it the partition is not fetched. Default 2 MiB. See
         * {@link ConsumerEngine.Builder#maxBufferedBytesPerPartition(long)}.
         *
         * @param bytes positive
         * @return this builder
         */
        public Builder<K, V> maxBufferedBytesPerPartition(long bytes) {
            config.maxBufferedBytesPerPartition(positiveBytes(bytes, "maxBufferedBytesPerPartition"));
            return this;
        }

        /**
         * Bounds the records the container's engine buffers for all partitions together; beyond it nothing is
         * fetched until records are taken. Default 32 MiB. See {@link ConsumerEngine.Builder#maxBufferedBytes(long)}.
         *
         * @param bytes positive
         * @return this builder
         */
        public Builder<K, V> maxBufferedBytes(long bytes) {
            config.maxBufferedBytes(positiveBytes(bytes, "maxBufferedBytes"));
            return this;
        }

        private static long positiveBytes(long bytes, String name) {
            if (bytes < 1) {
                throw new IllegalArgumentException(name + " must be positive, was " + bytes);
            }
            return bytes;
        }

        /**
         * Validates and builds the container, not yet started.
         *
         * @return the container
         * @throws IllegalStateException when no subscription or no handler was given, or a subscription has no group, or
         *         a transactional container has settings that cannot hold its rule (see {@link #transactional})
         * @throws org.apache.kafka.common.config.ConfigException for a bad consumer property
         */
        public ConsumerContainer<K, V> build() {
            return new ConsumerContainer<>(config.build());
        }
    }
}
