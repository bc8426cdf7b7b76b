package dev.kafkaconsumer.benchmarks.transactions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.Transactions;

/**
 * B11's subject: a transactional {@link ConsumerContainer} with KEY ordering at the given concurrency and the
 * transactional defaults ({@link Transactions#DEFAULT_COMMIT_INTERVAL 100 ms},
 * {@link Transactions#DEFAULT_MAX_RECORDS_PER_TRANSACTION 1,000 records}, unless B11 is told another maximum): every
 * commit interval (or sooner, at that many finished records) it commits one transaction holding the outputs of each partition's contiguous finished prefix and
 * those offsets. The handler sends each record's output through the {@code TransactionalSender}. Consumers read
 * {@code read_committed} (the container's default for a transactional container, set here explicitly as for Spring's);
 * the rest is the container's and kafka-clients' defaults. Transactions are counted with a {@link ContainerListener}.
 */
final class ContainerTransactionalContender implements TransactionalContender {

    private final String name;
    private final int concurrency;
    private final int maxRecordsPerTransaction;

    /**
     * @param name                     the label
     * @param concurrency              records handled at once
     * @param maxRecordsPerTransaction the container's {@code maxRecordsPerTransaction}
     */
    ContainerTransactionalContender(String name, int concurrency, int maxRecordsPerTransaction) {
        this.name = name;
        this.concurrency = concurrency;
        this.maxRecordsPerTransaction = maxRecordsPerTransaction;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Running start(String bootstrapServers, String input, String output, String group, int run) {
        Map<String, Object> consumer = TransactionalContender.consumerProperties(bootstrapServers, name, group, run);
        Transactions<byte[], byte[]> transactions = Transactions
                .builder(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArraySerializer(),
                        new ByteArraySerializer())
                .transactionalIdPrefix("b11-txn-")
                .maxRecordsPerTransaction(maxRecordsPerTransaction)
                .build();
        AtomicLong committed = new AtomicLong();
        AtomicLong aborted = new AtomicLong();
        ConsumerContainer<byte[], byte[]> container = ConsumerContainer
                .builder("b11-" + name + "-" + run, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(consumer)
                .topics(List.of(input))
                .ordering(Ordering.KEY)
                .concurrency(concurrency)
                .transactional(transactions, (record, sender) -> sender.send(TransactionalRecords.handle(output, record)))
                .listener(new ContainerListener() {
                    @Override
                    public void transactionCommitted(String container, Map<TopicPartition, OffsetAndMetadata> offsets,
                            int records) {
                        committed.incrementAndGet();
                    }

                    @Override
                    public void transactionAborted(String container, Throwable cause) {
                        aborted.incrementAndGet();
                    }
                })
                .build();
        container.start();
        return new Running() {
            @Override
            public long committed() {
                return committed.get();
            }

            @Override
            public long aborted() {
                return aborted.get();
            }

            @Override
            public Throwable failure() {
                return container.state() == ContainerState.FAILED
                        ? new IllegalStateException(container.snapshot().failure().orElse("the container failed"))
                        : null;
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
