package dev.kafkaconsumer.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.Transactions;
import dev.kafkaconsumer.reliability.ExactlyOnceChecker.Output;

/**
 * The consume-transform-produce process of scenario E1: a transactional {@link ConsumerContainer} (KEY ordering,
 * concurrency 6) whose handler writes one output record per input record, to the output partition of the input's
 * partition number, with the input's key and the value {@code <sequence> <input partition> <input offset>}
 * ({@link Output#value}). Its {@link EventLog} gets a {@code processed} line per handler call (including calls whose
 * transaction is later aborted), a {@code committed} line per partition of each committed transaction (the input offsets
 * it committed), {@code aborted} lines and assignments. Runs until killed; SIGTERM stops the container gracefully.
 *
 * <p>{@code TransformingConsumer <bootstrap-servers> <input-topic> <output-topic> <group> <group.protocol> <log-file>};
 * system properties: {@code reliability.handler-delay-us} (0), the simulated work per record;
 * {@code reliability.concurrency} (6); {@code reliability.commit-interval-ms} (100), the transactions' interval; any
 * consumer property as {@code -Dkafka.<property>} and any producer property as {@code -Dproducer.<property>}.
 */
public final class TransformingConsumer {

    /** The prefix of the transactional ids: the container appends its name and a per-process unique suffix. */
    public static final String TRANSACTIONAL_ID_PREFIX = "e1-";

    private TransformingConsumer() {
    }

    /**
     * Runs the transformer until the JVM ends.
     *
     * @param args bootstrap servers, input topic, output topic, group, group protocol, log file
     * @throws Exception if the log cannot be opened or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: TransformingConsumer <bootstrap-servers> <input-topic> <output-topic> <group> <group.protocol> <log-file>");
            System.exit(2);
        }
        EventLog log = EventLog.open(Path.of(args[5]));
        Map<String, Object> producer = ProcessSettings.withPrefix("producer.");
        ConsumerContainer.Builder<String, String> builder = builder("transformer", args[0], args[1], args[2], args[3], args[4],
                producer, log);
        builder.properties(ProcessSettings.withPrefix("kafka."));
        ConsumerContainer<String, String> container = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            container.stop(Duration.ofSeconds(10));
            log.close();
            stopped.countDown();
        }, "reliability-transformer-shutdown"));
        container.start();
        System.out.printf("Transforming %s into %s as group %s (%s) into %s%n", args[1], args[2], args[3], args[4], args[5]);
        stopped.await();
    }

    /**
     * A transactional container builder configured as {@code main} configures it (the {@code reliability.*} system
     * properties apply); the caller may add consumer properties before building.
     *
     * @param name               the container's name
     * @param bootstrapServers   the bootstrap servers
     * @param input              the input topic
     * @param output             the output topic, with at least as many partitions as the input
     * @param group              the group id
     * @param protocol           the group protocol, {@code classic} or {@code consumer}
     * @param producerProperties further producer properties (such as {@code transaction.timeout.ms})
     * @param log                where events go; the caller closes it after stopping the container
     * @return the builder
     */
    public static ConsumerContainer.Builder<String, String> builder(String name, String bootstrapServers, String input, String output,
            String group, String protocol, Map<String, Object> producerProperties, EventLog log) {
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(Long.getLong("reliability.handler-delay-us", 0));
        Map<String, Object> producer = new HashMap<>(producerProperties);
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Transactions<String, String> transactions = Transactions.builder(producer, new StringSerializer(), new StringSerializer())
                .transactionalIdPrefix(TRANSACTIONAL_ID_PREFIX)
                .commitInterval(Duration.ofMillis(Long.getLong("reliability.commit-interval-ms", 100)))
                .build();
        return ConsumerContainer
                .builder(name, new StringDeserializer(), new StringDeserializer())
                .bootstrapServers(bootstrapServers)
                .groupId(group)
                .topics(List.of(input))
                .property(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol)
                .property(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .ordering(Ordering.KEY)
                .concurrency(Integer.getInteger("reliability.concurrency", 6))
                .<String, String>transactional(transactions, (record, sender) -> {
                    if (delayNanos > 0) {
                        LockSupport.parkNanos(delayNanos); // simulated work, so that a kill lands mid-transaction
                    }
                    long sequence = Long.parseLong(record.value());
                    log.processed(record.topic(), record.partition(), record.offset(), sequence);
                    sender.send(new ProducerRecord<>(output, record.partition(), record.key(),
                            Output.value(sequence, record.partition(), record.offset())));
                })
                .listener(new EventLogListener(log));
    }
}
