package dev.kafkaconsumer.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a bean method that handles Kafka records: each such method gets its own
 * {@link dev.kafkaconsumer.core.ConsumerContainer}, configured from {@code kafka.consumer.*} and, for this
 * container, from the attributes here and from {@code kafka.consumer.containers.<id>.*}, which win over the
 * attributes. Every string attribute accepts {@code ${...}} placeholders.
 *
 * <p>Parameters are resolved by type and annotation: the value (unannotated), the key ({@link Key}),
 * {@code ConsumerRecord<K, V>}, {@code Headers}, one header ({@link Header}, as {@code byte[]} or
 * {@code String}), {@code TopicPartition}, the offset ({@link Offset}), and the
 * {@link dev.kafkaconsumer.core.Acknowledgement}. A batch method ({@link #batch()}) takes
 * {@code List<ConsumerRecord<K, V>>} or a list of values (the records of one partition), and may take
 * {@code TopicPartition} and the acknowledgement. The method returns {@code void}, or a
 * {@code CompletionStage} that completes when the record is handled. It may be package-private.
 * Ahead-of-time processing registers the reflection hints that the method and its converted parameters need.
 *
 * <pre>{@code
 * @RecordHandler(topics = "orders", concurrency = "${orders.concurrency:16}", ordering = "KEY")
 * void onOrder(@Key String customer, String order) { ... }
 * }</pre>
 *
 * <p>With a {@link #shareGroup()} (or {@code kafka.consumer.containers.<id>.share-group}) the method reads as a
 * member of a share group (Kafka's queues, KIP-932) and gets a {@link dev.kafkaconsumer.core.ShareConsumerContainer}
 * instead: the records of a partition are spread over every consumer of the group, each acquired by one of them
 * and acknowledged on its own. Its parameters are resolved the same way, except that it takes a
 * {@link dev.kafkaconsumer.core.ShareAcknowledgement} (to acknowledge itself: accept, release or reject) instead
 * of an {@code Acknowledgement}, and may take the record's delivery count ({@link DeliveryCount}). Without a
 * {@code ShareAcknowledgement} parameter, a call that returns (or a stage that completes) accepts the record, and a
 * failure after its retries releases it for another delivery until {@code max-deliveries}, then gives it to the
 * recoverer and rejects it. Options about order and offsets do not apply to a share handler ({@link #ordering()},
 * {@link #batch()}, {@link #topicPattern()}, {@link #groupId()}, and the commit, revocation, buffer, offset-reset
 * and isolation options of its container): set on it, they fail startup, naming the property.
 *
 * <pre>{@code
 * @RecordHandler(topics = "jobs", shareGroup = "workers", concurrency = "8")
 * void onJob(String job, @DeliveryCount int delivery) { ... }
 * }</pre>
 *
 * <p>With {@link #transactional()} (or {@code kafka.consumer.containers.<id>.transactional}) the method is a
 * consume-transform-produce step, exactly once: its outputs are written by a transactional producer
 * ({@code kafka.consumer.producer.*}) in the transaction that also commits the input record's offset, so a
 * {@code read_committed} reader of the outputs sees each input's outputs once (the rule and the producer:
 * {@link dev.kafkaconsumer.core.Transactions}). The method sends its outputs in one of two ways: it returns them
 * (a value, sent to {@link #sendTo()} with the input record's key; a {@code ProducerRecord}; or a
 * {@code Collection} of either), or it takes a {@link dev.kafkaconsumer.core.TransactionalSender} and sends
 * through it during the call. Its other parameters are resolved as above; it takes no acknowledgement (offsets
 * are committed in the transactions) and does not return a {@code CompletionStage} (its outputs must be known
 * when it returns). A record that still fails after its retries goes to the recoverer; a dead letter
 * ({@code dead-letter.enabled}) is written in the record's transaction. A transactional handler cannot be a
 * batch or a share handler, nor take a commit mode of its own.
 *
 * <pre>{@code
 * @RecordHandler(topics = "orders", transactional = true, sendTo = "invoices", ordering = "KEY", concurrency = "6")
 * Invoice onOrder(Order order) { return invoicing.invoice(order); }
 * }</pre>
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(RecordHandlerReflectiveProcessor.class)
public @interface RecordHandler {

    /**
     * Topics to subscribe to; an element may resolve to a comma-separated list.
     *
     * @return topic names
     */
    String[] topics() default {};

    /**
     * Regular expression of the topics to subscribe to, now and later; instead of {@link #topics()}.
     *
     * @return the pattern
     */
    String topicPattern() default "";

    /**
     * Container id: names its threads, its entry in {@code kafka.consumer.containers} and in the
     * registry. By default {@code <bean name>.<method name>}.
     *
     * @return the id
     */
    String id() default "";

    /**
     * Consumer group; {@code kafka.consumer.group-id} by default.
     *
     * @return the group id
     */
    String groupId() default "";

    /**
     * Share group to join instead of a consumer group, which makes the handler a share handler (see above);
     * {@code kafka.consumer.containers.<id>.share-group} wins over it. Empty for a consumer-group handler.
     *
     * @return the share group's id
     */
    String shareGroup() default "";

    /**
     * For a share handler: deliveries of a record, the first included, after which a record that still fails
     * goes to the recoverer and is rejected; {@code kafka.consumer.max-deliveries} by default.
     *
     * @return a positive integer
     */
    String maxDeliveries() default "";

    /**
     * How many records (or batches) may be handled at once; {@code kafka.consumer.concurrency} by default.
     *
     * @return a positive integer
     */
    String concurrency() default "";

    /**
     * {@code PARTITION}, {@code KEY} or {@code UNORDERED}; {@code kafka.consumer.ordering} by default.
     *
     * @return the ordering's name
     */
    String ordering() default "";

    /**
     * Whether the method takes the records of one partition as a list.
     *
     * @return true for a batch handler
     */
    boolean batch() default false;

    /**
     * Whether the method is a transactional consume-transform-produce step (see above):
     * {@code kafka.consumer.containers.<id>.transactional} wins over it.
     *
     * @return true for a transactional handler
     */
    boolean transactional() default false;

    /**
     * For a transactional handler that returns values rather than {@code ProducerRecord}s: the topic each returned
     * value is sent to, keyed with the input record's key; {@code kafka.consumer.containers.<id>.send-to} wins over
     * it.
     *
     * @return the output topic
     */
    String sendTo() default "";

    /**
     * Whether the container starts with the application; {@code kafka.consumer.auto-startup} by default.
     *
     * @return {@code true} or {@code false}
     */
    String autoStartup() default "";

    /**
     * Extra kafka-clients consumer properties, each {@code name=value}.
     *
     * @return the properties
     */
    String[] properties() default {};
}
