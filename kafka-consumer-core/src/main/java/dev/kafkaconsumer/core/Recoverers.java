package dev.kafkaconsumer.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.internal.container.DeadLetterSource;

/**
 * The built-in {@link Recoverer}s: log and skip, stop the container, or publish to a dead-letter topic.
 */
public final class Recoverers {

    /** Header naming the exception's class on a dead-lettered record. */
    public static final String EXCEPTION_CLASS_HEADER = "kafka-consumer.dlt.exception-class";
    /** Header carrying the exception's message on a dead-lettered record. */
    public static final String EXCEPTION_MESSAGE_HEADER = "kafka-consumer.dlt.exception-message";
    /** Header naming the original topic of a dead-lettered record. */
    public static final String ORIGINAL_TOPIC_HEADER = "kafka-consumer.dlt.original-topic";
    /** Header carrying the original partition (decimal text) of a dead-lettered record. */
    public static final String ORIGINAL_PARTITION_HEADER = "kafka-consumer.dlt.original-partition";
    /** Header carrying the original offset (decimal text) of a dead-lettered record. */
    public static final String ORIGINAL_OFFSET_HEADER = "kafka-consumer.dlt.original-offset";
    /** Header carrying how many times the handler was called (decimal text; 0 for a poison pill). */
    public static final String ATTEMPTS_HEADER = "kafka-consumer.dlt.attempts";
    /**
     * Header carrying the delivery count (decimal text) of a dead-lettered record of a share group: how often the
     * broker had delivered it, this delivery included; absent for a record of a consumer group.
     */
    public static final String DELIVERY_COUNT_HEADER = "kafka-consumer.dlt.delivery-count";

    /** The suffix of dead-letter topics by default: {@code orders} fails over to {@code orders.DLT}. */
    public static final String DEFAULT_DEAD_LETTER_SUFFIX = ".DLT";

    private static final Logger log = LoggerFactory.getLogger(Recoverers.class);

    private Recoverers() {
    }

    /**
     * Logs the record's coordinates and the failure at ERROR, then lets the partition move on.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return the recoverer
     */
    public static <K, V> Recoverer<K, V> logAndSkip() {
        return new Recoverer<>() {
            @Override
            public void recover(FailedRecord<K, V> failed) {
                log.error("Skipping {} offset {} after {} attempt(s)", failed.partition(), failed.offset(),
                        failed.attempts(), failed.failure());
            }

            @Override
            public String kind() {
                return "log-and-skip";
            }
        };
    }

    /**
     * Stops the container, in {@link ContainerState#FAILED}, at the first record that cannot be handled;
     * nothing is committed past it, so it is read again after a restart.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return the recoverer
     */
    public static <K, V> Recoverer<K, V> stopContainer() {
        return new Recoverer<>() {
            @Override
            public void recover(FailedRecord<K, V> failed) {
                throw new IllegalStateException("Record " + failed.partition() + " offset " + failed.offset()
                        + " could not be handled after " + failed.attempts() + " attempt(s); stopping", failed.failure());
            }

            @Override
            public String kind() {
                return "stop-container";
            }
        };
    }

    /**
     * Publishes each failed record, with its original key and value bytes and headers, to
     * {@code <topic>.DLT}, adding headers that name the exception, the original topic, partition and
     * offset, and the attempt count. A record counts as done only once the broker acknowledged its dead
     * letter, so a commit never passes it before it is safely in the dead-letter topic; the partition's
     * next records do not wait for that acknowledgement. In a transactional container (see
     * {@link ConsumerContainer.Builder#transactional}) the dead letter goes out in the failed record's
     * transaction, through the container's transactional producer; the recoverer's own producer is then unused.
     *
     * @param producerProperties kafka-clients producer properties ({@code bootstrap.servers} at least)
     * @param <K>                the key type
     * @param <V>                the value type
     * @return the recoverer; it owns a producer, closed with it
     */
    public static <K, V> Recoverer<K, V> deadLetterTopic(Map<String, Object> producerProperties) {
        return deadLetterTopic(producerProperties, failed -> failed.raw().topic() + DEFAULT_DEAD_LETTER_SUFFIX);
    }

    /**
     * Publishes each failed record to the topic that {@code destination} names; see
     * {@link #deadLetterTopic(Map)}.
     *
     * @param producerProperties kafka-clients producer properties ({@code bootstrap.servers} at least)
     * @param destination        the dead-letter topic for a record
     * @param <K>                the key type
     * @param <V>                the value type
     * @return the recoverer; it owns a producer, closed with it
     */
    public static <K, V> Recoverer<K, V> deadLetterTopic(Map<String, Object> producerProperties,
            Function<FailedRecord<K, V>, String> destination) {
        return deadLetterTopic(producerProperties, destination, DeadLetterHeaders.KAFKA_CONSUMER);
    }

    /**
     * Publishes each failed record to the topic that {@code destination} names, with the given set of
     * headers; see {@link #deadLetterTopic(Map)} and {@link DeadLetterHeaders}.
     *
     * @param producerProperties kafka-clients producer properties ({@code bootstrap.servers} at least)
     * @param destination        the dead-letter topic for a record
     * @param headers            the headers that say why and where the record failed
     * @param <K>                the key type
     * @param <V>                the value type
     * @return the recoverer; it owns a producer, closed with it
     */
    public static <K, V> Recoverer<K, V> deadLetterTopic(Map<String, Object> producerProperties,
            Function<FailedRecord<K, V>, String> destination, DeadLetterHeaders headers) {
        Objects.requireNonNull(headers, "headers");
        Map<String, Object> properties = new HashMap<>(Objects.requireNonNull(producerProperties, "producerProperties"));
        properties.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kafka-consumer-dead-letter");
        Producer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        return new DeadLetterPublisher<>(producer, Objects.requireNonNull(destination, "destination"), headers);
    }

    /** Publishes failed records with their original bytes; package-private for tests with a mock producer. */
    static final class DeadLetterPublisher<K, V> implements Recoverer<K, V>, DeadLetterSource<K, V> {

        private final Producer<byte[], byte[]> producer;
        private final Function<FailedRecord<K, V>, String> destination;
        private final DeadLetterHeaders headerSet;

        DeadLetterPublisher(Producer<byte[], byte[]> producer, Function<FailedRecord<K, V>, String> destination) {
            this(producer, destination, DeadLetterHeaders.KAFKA_CONSUMER);
        }

        DeadLetterPublisher(Producer<byte[], byte[]> producer, Function<FailedRecord<K, V>, String> destination,
                DeadLetterHeaders headerSet) {
            this.producer = producer;
            this.destination = destination;
            this.headerSet = headerSet;
        }

        @Override
        public void recover(FailedRecord<K, V> failed) throws ExecutionException, InterruptedException,
                java.util.concurrent.TimeoutException {
            recoverAsync(failed).toCompletableFuture().get(2, TimeUnit.MINUTES);
        }

        /** Sends the dead letter; the stage completes when the broker acknowledged it. */
        @Override
        public CompletableFuture<Void> recoverAsync(FailedRecord<K, V> failed) {
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            producer.send(deadLetter(failed), (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(error);
                }
            });
            return acknowledged;
        }

        /** The dead letter: the original bytes, to the destination, with the failure's headers. */
        @Override
        public ProducerRecord<byte[], byte[]> deadLetter(FailedRecord<K, V> failed) {
            Headers headers = new RecordHeaders(failed.raw().headers().toArray());
            headerSet.add(headers, failed);
            return new ProducerRecord<>(destination.apply(failed), null, failed.raw().timestamp(), failed.raw().key(),
                    failed.raw().value(), headers);
        }

        @Override
        public String kind() {
            return "dead-letter";
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
