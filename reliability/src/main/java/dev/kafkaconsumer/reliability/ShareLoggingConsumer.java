package dev.kafkaconsumer.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.core.ShareContainerSnapshot;

/**
 * A share-group consumer process under test: a {@link ShareConsumerContainer} whose handler writes every record it
 * processed to an {@link EventLog} ({@code processed} lines only: a share group has no assignments and no commits;
 * success accepts the record). Runs until killed; SIGTERM stops the container gracefully (records handed out and not
 * acknowledged are released, pending acknowledgements sent) and prints what it acknowledged and received.
 *
 * <p>{@code ShareLoggingConsumer <bootstrap-servers> <topic> <share-group> <log-file>}; system properties:
 * {@code reliability.handler-delay-us} (0), the simulated work per record; {@code reliability.concurrency} (4);
 * {@code reliability.hold-after} (none): once that many records were processed, every later handler call blocks for
 * good before logging its record, so that the process holds acquired records until it is killed (it prints
 * {@code Holding <n> acquired records} every 100 ms while it does); and any share consumer property as
 * {@code -Dkafka.<property>}.
 */
public final class ShareLoggingConsumer {

    /** What the process prints, every 100 ms, once it holds records it will never acknowledge. */
    public static final String HOLDING = "Holding ";
    /** What the process prints after a graceful stop, followed by its acknowledgements and deliveries by count. */
    public static final String STOPPED = "Stopped: ";
    /** What the process prints, followed by the record's sequence, when a handler call blocks for good. */
    public static final String STUCK = "Stuck on sequence ";

    private ShareLoggingConsumer() {
    }

    /**
     * Runs the consumer until the JVM ends.
     *
     * @param args bootstrap servers, topic, share group, log file
     * @throws Exception if the log cannot be opened or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ShareLoggingConsumer <bootstrap-servers> <topic> <share-group> <log-file>");
            System.exit(2);
        }
        EventLog log = EventLog.open(Path.of(args[3]));
        long holdAfter = Long.getLong("reliability.hold-after", Long.MAX_VALUE);
        AtomicLong processed = new AtomicLong();
        CountDownLatch holding = new CountDownLatch(1);
        ShareConsumerContainer.Builder<String, String> builder = builder("reliability-share", args[0], args[1], args[2], log,
                record -> {
                    if (processed.get() >= holdAfter) {
                        System.out.println(STUCK + record.value());
                        holding.countDown();
                        blockForGood();
                    }
                }, record -> processed.incrementAndGet());
        builder.properties(ProcessSettings.withPrefix("kafka."));
        ShareConsumerContainer<String, String> container = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            container.stop(Duration.ofSeconds(10));
            ShareContainerSnapshot last = container.snapshot();
            System.out.printf("%sacknowledgements %s, deliveries by count %s%n", STOPPED, last.acknowledgements(),
                    last.deliveryCounts());
            log.close();
            stopped.countDown();
        }, "reliability-share-consumer-shutdown"));
        container.start();
        System.out.printf("Consuming %s as share group %s into %s%n", args[1], args[2], args[3]);
        while (!stopped.await(100, TimeUnit.MILLISECONDS)) {
            if (holding.getCount() == 0) {
                ShareContainerSnapshot snapshot = container.snapshot();
                System.out.printf("%s%d acquired records (%d in flight) after %d processed%n", HOLDING, snapshot.acquired(),
                        snapshot.inFlight(), processed.get());
            }
        }
    }

    /**
     * A share container builder whose handler writes to the log, configured as this class's {@code main} configures
     * it ({@code reliability.handler-delay-us} and {@code reliability.concurrency} apply), for tests that run share
     * consumers inside their own JVM; the caller may add properties before building.
     *
     * @param name             the container's name
     * @param bootstrapServers the bootstrap servers
     * @param topic            the topic
     * @param group            the share group
     * @param log              where processed records go; the caller closes it after stopping the container
     * @param before           called with each record before its simulated work (may block)
     * @param after            called with each record once it is logged
     * @return the builder
     */
    public static ShareConsumerContainer.Builder<String, String> builder(String name, String bootstrapServers, String topic,
            String group, EventLog log, Consumer<ConsumerRecord<String, String>> before,
            Consumer<ConsumerRecord<String, String>> after) {
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(Long.getLong("reliability.handler-delay-us", 0));
        return ShareConsumerContainer
                .builder(name, new StringDeserializer(), new StringDeserializer())
                .bootstrapServers(bootstrapServers)
                .groupId(group)
                .topics(List.of(topic))
                .concurrency(Integer.getInteger("reliability.concurrency", 4))
                .handler(record -> {
                    before.accept(record);
                    if (delayNanos > 0) {
                        LockSupport.parkNanos(delayNanos); // simulated work, so that a kill or a stop lands mid-stream
                    }
                    log.processed(record.topic(), record.partition(), record.offset(), Long.parseLong(record.value()));
                    after.accept(record);
                });
    }

    /** Never returns (nor gives in to an interrupt): a handler stuck for good, whose record stays acquired. */
    private static void blockForGood() {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // stuck means stuck: only the kill ends it
            }
        }
    }
}
