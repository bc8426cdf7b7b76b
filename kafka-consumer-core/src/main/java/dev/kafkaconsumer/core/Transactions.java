package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How a transactional {@link ConsumerContainer} writes its outputs: the producer's properties and serializers,
 * the prefix of its {@code transactional.id}, and how often a transaction commits. Immutable; made by
 * {@link #builder}, given to {@link ConsumerContainer.Builder#transactional}.
 *
 * <h2>The rule</h2>
 * A record's output is committed only in the transaction that commits its input offset. The container keeps
 * each record's outputs with the record; every {@linkplain Builder#commitInterval(Duration) commit interval}
 * (or sooner, once {@linkplain Builder#maxRecordsPerTransaction(int) enough records} are done), it takes each
 * partition's contiguous prefix of done records, sends their outputs, sends the prefix's offsets to the
 * transaction with the consumer's group metadata (KIP-447), and commits. Records done beyond the prefix (under
 * KEY or UNORDERED ordering records finish out of order) keep their outputs for a later transaction. Nothing
 * is committed through the consumer. A transaction that fails (a fenced producer, offsets refused because the
 * group moved to a new generation) is aborted; the partitions in it go back to their committed offsets and
 * their records are handled again, so nothing of the aborted transaction reaches a {@code read_committed}
 * reader, and nothing is lost.
 *
 * <h2>The producer</h2>
 * One producer per container, created when it starts and closed when it stops. Its {@code transactional.id} is
 * {@code <prefix><container name>-<random UUID>}: unique per container instance, so that two instances of an
 * application never fence each other; zombies (an instance that lost its partitions but still runs) are fenced
 * by the group generation instead (KIP-447). By default the container sets {@code acks=all},
 * {@code enable.idempotence=true} and, unless given, {@code max.block.ms} to its revocation timeout (at least a
 * second), which bounds the commit made while partitions are revoked.
 *
 * <p>Input should be read {@code read_committed}: the transactional container sets {@code isolation.level}
 * to {@code read_committed} unless it is given.
 *
 * @param <KO> the output key type
 * @param <VO> the output value type
 */
public final class Transactions<KO, VO> {

    /** How often a transaction commits unless {@link Builder#commitInterval(Duration)} says otherwise. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

    /** The most records in one transaction unless {@link Builder#maxRecordsPerTransaction(int)} says otherwise. */
    public static final int DEFAULT_MAX_RECORDS_PER_TRANSACTION = 1_000;

    private final Map<String, Object> producerProperties;
    private final Serializer<KO> keySerializer;
    private final Serializer<VO> valueSerializer;
    private final String transactionalIdPrefix;
    private final Duration commitInterval;
    private final int maxRecordsPerTransaction;

    private Transactions(Builder<KO, VO> builder) {
        this.producerProperties = Map.copyOf(builder.producerProperties);
        this.keySerializer = builder.keySerializer;
        this.valueSerializer = builder.valueSerializer;
        this.transactionalIdPrefix = builder.transactionalIdPrefix;
        this.commitInterval = builder.commitInterval;
        this.maxRecordsPerTransaction = builder.maxRecordsPerTransaction;
    }

    /**
     * Starts building the configuration of a transactional producer.
     *
     * @param producerProperties kafka-clients producer properties ({@code bootstrap.servers} at least); not
     *                           {@code transactional.id} (see {@link Builder#transactionalIdPrefix}) nor the
     *                           serializer classes (give the serializers)
     * @param keySerializer      serializes output keys, on the handler's thread; closed with the container
     * @param valueSerializer    serializes output values, on the handler's thread; closed with the container
     * @param <KO>               the output key type
     * @param <VO>               the output value type
     * @return a builder
     * @throws IllegalArgumentException if the properties name a transactional id or serializer classes
     */
    public static <KO, VO> Builder<KO, VO> builder(Map<String, ?> producerProperties, Serializer<KO> keySerializer,
            Serializer<VO> valueSerializer) {
        return new Builder<>(producerProperties, keySerializer, valueSerializer);
    }

    /**
     * Returns the producer properties given, without the container's defaults.
     *
     * @return an immutable map
     */
    public Map<String, Object> producerProperties() {
        return producerProperties;
    }

    /** @return the output key serializer */
    public Serializer<KO> keySerializer() {
        return keySerializer;
    }

    /** @return the output value serializer */
    public Serializer<VO> valueSerializer() {
        return valueSerializer;
    }

    /** @return the prefix of the producer's {@code transactional.id} */
    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    /** @return how often a transaction commits what is done */
    public Duration commitInterval() {
        return commitInterval;
    }

    /** @return the most input records whose outputs and offsets one transaction carries */
    public int maxRecordsPerTransaction() {
        return maxRecordsPerTransaction;
    }

    @Override
    public String toString() {
        return "Transactions[transactionalIdPrefix=" + transactionalIdPrefix + ", commitInterval=" + commitInterval
                + ", maxRecordsPerTransaction=" + maxRecordsPerTransaction + "]";
    }

    /**
     * Builds {@link Transactions}. Not thread-safe.
     *
     * @param <KO> the output key type
     * @param <VO> the output value type
     */
    public static final class Builder<KO, VO> {

        private final Map<String, Object> producerProperties;
        private final Serializer<KO> keySerializer;
        private final Serializer<VO> valueSerializer;
        private String transactionalIdPrefix;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private int maxRecordsPerTransaction = DEFAULT_MAX_RECORDS_PER_TRANSACTION;

        private Builder(Map<String, ?> producerProperties, Serializer<KO> keySerializer, Serializer<VO> valueSerializer) {
            Objects.requireNonNull(producerProperties, "producerProperties");
            if (producerProperties.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
                throw new IllegalArgumentException("Transactions: do not set " + ProducerConfig.TRANSACTIONAL_ID_CONFIG
                        + " in the producer properties; set transactionalIdPrefix(...), to which the container appends its "
                        + "name and a unique suffix");
            }
            for (String serializer : new String[] {ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG}) {
                if (producerProperties.containsKey(serializer)) {
                    throw new IllegalArgumentException("Transactions: do not set " + serializer
                            + " in the producer properties; pass the serializers to Transactions.builder(...)");
                }
            }
            this.producerProperties = new LinkedHashMap<>(producerProperties);
            this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
            this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
        }

        /**
         * Sets the prefix of the producer's {@code transactional.id} (required); the container appends its name
         * and a random UUID: {@code <prefix><container name>-<uuid>}.
         *
         * @param prefix not blank
         * @return this builder
         */
        public Builder<KO, VO> transactionalIdPrefix(String prefix) {
            if (Objects.requireNonNull(prefix, "prefix").isBlank()) {
                throw new IllegalArgumentException("transactionalIdPrefix must not be blank");
            }
            this.transactionalIdPrefix = prefix;
            return this;
        }

        /**
         * Sets how often a transaction commits the records done; 100 ms by default. Shorter makes outputs
         * visible to {@code read_committed} readers sooner, at the cost of more transactions.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder<KO, VO> commitInterval(Duration interval) {
            if (Objects.requireNonNull(interval, "interval").isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("commitInterval must be positive, was " + interval);
            }
            this.commitInterval = interval;
            return this;
        }

        /**
         * Sets the most input records one transaction carries; 1,000 by default. Once that many records are
         * done a transaction commits without waiting for the interval.
         *
         * @param records at least 1
         * @return this builder
         */
        public Builder<KO, VO> maxRecordsPerTransaction(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("maxRecordsPerTransaction must be at least 1, was " + records);
            }
            this.maxRecordsPerTransaction = records;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalStateException if no transactional id prefix was set
         */
        public Transactions<KO, VO> build() {
            if (transactionalIdPrefix == null) {
                throw new IllegalStateException("Transactions need a transactionalIdPrefix(...): the container appends "
                        + "its name and a unique suffix to make the producer's transactional.id");
            }
            return new Transactions<>(this);
        }
    }
}
