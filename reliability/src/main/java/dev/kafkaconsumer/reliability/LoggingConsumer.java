package dev.kafkaconsumer.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;

/**
 * A consumer process under test: a {@link ConsumerContainer} whose handler and listener write every
 * processed record, successful commit, assignment and revocation to an {@link EventLog}. Runs until
 * killed; SIGTERM stops the container gracefully.
 *
 * <p>{@code LoggingConsumer <bootstrap-servers> <topic> <group> <group.protocol> <log-file>}; system
 * properties: {@code reliability.handler-delay-us} (0), the simulated work per record;
 * {@code reliability.commit-interval-ms} (200); {@code reliability.concurrency} (4); {@code reliability.stats-file}
 * (none) and {@code reliability.stats-interval-ms} (30000), where and how often a {@link ResourceSampler} samples the
 * process's heap after a collection, threads and file descriptors (R18); and any consumer property as
 * {@code -Dkafka.<property>}.
 */
public final class LoggingConsumer {

    private LoggingConsumer() {
    }

    /**
     * Runs the consumer until the JVM ends.
     *
     * @param args bootstrap servers, topic, group, group protocol, log file
     * @throws Exception if the log cannot be opened or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LoggingConsumer <bootstrap-servers> <topic> <group> <group.protocol> <log-file>");
            System.exit(2);
        }
        EventLog log = EventLog.open(Path.of(args[4]));
        ConsumerContainer.Builder<String, String> builder = builder("reliability", args[0], args[1], args[2], args[3], log);
        builder.properties(ProcessSettings.withPrefix("kafka."));
        ConsumerContainer<String, String> container = builder.build();
        String statsFile = System.getProperty("reliability.stats-file");
        ResourceSampler sampler = statsFile == null ? null : ResourceSampler.start(Path.of(statsFile),
                Duration.ofMillis(Long.getLong("reliability.stats-interval-ms", 30_000)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            container.stop(Duration.ofSeconds(10));
            log.close();
            if (sampler != null) {
                sampler.close();
            }
            stopped.countDown();
        }, "reliability-consumer-shutdown"));
        container.start();
        System.out.printf("Consuming %s as group %s (%s) into %s%n", args[1], args[2], args[3], args[4]);
        stopped.await();
    }

    /**
     * A container builder whose handler and listener write to the log, configured as this class's
     * {@code main} configures it (the {@code reliability.*} system properties apply), for tests that run
     * consumers inside their own JVM; the caller may add properties before building.
     *
     * @param name             the container's name (its threads' and client id's)
     * @param bootstrapServers the bootstrap servers
     * @param topic            the topic
     * @param group            the group id
     * @param protocol         the group protocol, {@code classic} or {@code consumer}
     * @param log              where events go; the caller closes it after stopping the container
     * @return the builder
     */
    public static ConsumerContainer.Builder<String, String> builder(String name, String bootstrapServers, String topic, String group,
            String protocol, EventLog log) {
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(Long.getLong("reliability.handler-delay-us", 0));
        return ConsumerContainer
                .builder(name, new StringDeserializer(), new StringDeserializer())
                .bootstrapServers(bootstrapServers)
                .groupId(group)
                .topics(List.of(topic))
                .property(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol)
                .property(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .ordering(Ordering.PARTITION)
                .concurrency(Integer.getInteger("reliability.concurrency", 4))
                .commitInterval(Duration.ofMillis(Long.getLong("reliability.commit-interval-ms", 200)))
                .handler(record -> {
                    if (delayNanos > 0) {
                        LockSupport.parkNanos(delayNanos); // simulated work, so that a kill lands mid-stream
                    }
                    log.processed(record.topic(), record.partition(), record.offset(), Long.parseLong(record.value()));
                })
                .listener(new EventLogListener(log));
    }
}
