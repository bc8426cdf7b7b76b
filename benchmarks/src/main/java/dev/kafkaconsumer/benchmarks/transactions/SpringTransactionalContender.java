package dev.kafkaconsumer.benchmarks.transactions;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;


/**
 * B11's peer: Spring for Apache Kafka's transactional listener container, built programmatically as a
 * {@code @KafkaListener} with a transaction manager would get it. A {@link ConcurrentMessageListenerContainer} of
 * {@code concurrency} consumers (6: one per partition) with a {@link KafkaTransactionManager} on a transactional
 * {@link DefaultKafkaProducerFactory} and a <em>batch</em> listener that sends one output per input record with a
 * {@link KafkaTemplate} on the same factory: the container begins a transaction before it hands a poll's records to
 * the listener, sends their offsets to it and commits it afterwards, so it commits one transaction per poll of at most
 * {@code max.poll.records} records (B11 sets it to our container's {@code maxRecordsPerTransaction}, 1,000 by default). A
 * record listener would get one transaction per record (Spring's {@code invokeRecordListenerInTx}), which is why the
 * batch listener is the fair peer. Consumers read {@code read_committed}; the rest is Spring's and kafka-clients'
 * defaults (EOS mode V2).
 */
final class SpringTransactionalContender implements TransactionalContender {

    private final String name;
    private final int concurrency;
    private final int maxPollRecords;

    /**
     * @param name           the label
     * @param concurrency    consumers of the container
     * @param maxPollRecords {@code max.poll.records} of its consumers: at most this many input records per transaction
     */
    SpringTransactionalContender(String name, int concurrency, int maxPollRecords) {
        this.name = name;
        this.concurrency = concurrency;
        this.maxPollRecords = maxPollRecords;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Running start(String bootstrapServers, String input, String output, String group, int run) {
        Map<String, Object> consumer = TransactionalContender.consumerProperties(bootstrapServers, name, group, run);
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        DefaultKafkaProducerFactory<byte[], byte[]> producers = new DefaultKafkaProducerFactory<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer());
        producers.setTransactionIdPrefix("b11-" + name + "-" + run + "-" + Long.toHexString(System.nanoTime()) + "-");
        CountingTransactionManager transactions = new CountingTransactionManager(producers);
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(producers);
        ContainerProperties properties = new ContainerProperties(input);
        properties.setKafkaAwareTransactionManager(transactions);
        properties.setMessageListener((BatchMessageListener<byte[], byte[]>) records -> {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                template.send(TransactionalRecords.handle(output, record));
            }
        });
        ConcurrentMessageListenerContainer<byte[], byte[]> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                properties);
        container.setConcurrency(concurrency);
        container.setBeanName("b11-" + name + "-" + run);
        container.start();
        return new Running() {
            @Override
            public long committed() {
                return transactions.committed.get();
            }

            @Override
            public long aborted() {
                return transactions.aborted.get();
            }

            @Override
            public Throwable failure() {
                // a failed transaction is rolled back and its poll handled again (Spring's after-rollback processor),
                // which the counts show; the container has no failed state to report
                return null;
            }

            @Override
            public void close() {
                container.stop();
                producers.destroy();
            }
        };
    }

    /** Spring's transaction manager, counting what it commits and rolls back (each a Kafka transaction here). */
    private static final class CountingTransactionManager extends KafkaTransactionManager<byte[], byte[]> {

        private final AtomicLong committed = new AtomicLong();
        private final AtomicLong aborted = new AtomicLong();

        CountingTransactionManager(ProducerFactory<byte[], byte[]> producers) {
            super(producers);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            super.doCommit(status);
            committed.incrementAndGet();
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            super.doRollback(status);
            aborted.incrementAndGet();
        }
    }
}
