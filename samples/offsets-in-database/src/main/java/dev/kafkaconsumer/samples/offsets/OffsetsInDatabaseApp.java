package dev.kafkaconsumer.samples.offsets;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.test.KafkaBroker;

/**
 * Counts page views per user into a database, with the consumed offsets stored beside the counts.
 *
 * <p>{@code OffsetsInDatabaseApp [bootstrap-servers] [jdbc-url]}; the same can be set as
 * {@code -Dkafka.bootstrap.servers} and {@code -Doffsets.jdbc.url}, with {@code -Doffsets.jdbc.user},
 * {@code -Doffsets.jdbc.password}, {@code -Doffsets.topic} (page-views), {@code -Doffsets.group}
 * (offsets-in-database), {@code -Doffsets.batch-delay-ms} (0) and any consumer property as
 * {@code -Dkafka.<property>}. With bootstrap servers it counts until stopped (Ctrl-C). Without, it
 * starts an in-process broker, writes 30,000 page views, counts half, stops, starts again from the
 * offsets in the database and counts the rest. The database is an in-memory H2 unless a URL is given.
 */
public final class OffsetsInDatabaseApp {

    static final String DEFAULT_JDBC_URL = "jdbc:h2:mem:offsets;DB_CLOSE_DELAY=-1";

    private OffsetsInDatabaseApp() {
    }

    /**
     * Runs the application.
     *
     * @param args optionally the bootstrap servers, then the JDBC URL
     * @throws Exception if the database or the broker fails
     */
    public static void main(String[] args) throws Exception {
        Properties system = System.getProperties();
        String bootstrapServers = args.length > 0 ? args[0] : system.getProperty("kafka.bootstrap.servers");
        String url = args.length > 1 ? args[1] : system.getProperty("offsets.jdbc.url", DEFAULT_JDBC_URL);
        OffsetStore store = new OffsetStore(url, system.getProperty("offsets.jdbc.user"), system.getProperty("offsets.jdbc.password"));
        store.createTables();
        String topic = system.getProperty("offsets.topic", "page-views");
        if (bootstrapServers == null) {
            demo(store, topic, System.out);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        boolean[] stopping = {false};
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (stopping) {
                stopping[0] = true;
            }
            try {
                // the loop finishes its batch, then the engine closes: no transaction is cut in half
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "offsets-in-database-shutdown"));
        System.out.printf("Counting %s from %s into %s%n", topic, bootstrapServers, url);
        try (ConsumerEngine<String, String> engine = engine(bootstrapServers)) {
            long counted = new CountingConsumer(engine, store, System.out).run(List.of(topic), () -> {
                synchronized (stopping) {
                    return stopping[0];
                }
            }, Duration.ofMillis(Long.getLong("offsets.batch-delay-ms", 0)));
            System.out.printf("Stopped after counting %d records%n", counted);
        } finally {
            stopped.countDown();
        }
    }

    static ConsumerEngine<String, String> engine(String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("kafka.") && !name.equals("kafka.bootstrap.servers"))
                .forEach(name -> properties.put(name.substring("kafka.".length()), System.getProperty(name)));
        return ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers(bootstrapServers)
                .groupId(System.getProperty("offsets.group", "offsets-in-database"))
                .property("auto.offset.reset", "earliest")
                .properties(properties)
                // the offsets live in the database; a commit to Kafka would be a second truth
                .property("enable.auto.commit", "false")
                .build();
    }

    private static void demo(OffsetStore store, String topic, PrintStream out) throws SQLException, InterruptedException {
        int records = 30_000;
        try (KafkaBroker kafka = KafkaBroker.builder().start()) {
            out.println("Started an in-process Kafka broker at " + kafka.bootstrapServers());
            kafka.createTopic(topic, 3);
            kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, records)
                    .mapToObj(i -> new ProducerRecord<>(topic, "user-" + (i * 7 % 50), "/page/" + (i % 13)))
                    .toList());
            List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList();
            Map<TopicPartition, Long> endOffsets;
            try (var admin = kafka.admin()) {
                endOffsets = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    endOffsets.put(partition, admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                            .partitionResult(partition).get().offset());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("Could not read the end offsets of " + topic, e.getCause());
            }
            out.printf("Wrote %d page views of 50 users to %s; end offsets %s%n%n", records, topic, CountingConsumer.format(endOffsets));

            out.println("First run: counts until half is stored, then stops (nothing is committed to Kafka)");
            long first;
            try (ConsumerEngine<String, String> engine = engine(kafka.bootstrapServers())) {
                first = new CountingConsumer(engine, store, out).run(List.of(topic), totalAtLeast(store, topic, records / 2), Duration.ZERO);
            }
            out.printf("first run counted %d%n%n", first);

            out.println("Second run: a new engine in the same group; positions come from the database");
            long second;
            try (ConsumerEngine<String, String> engine = engine(kafka.bootstrapServers())) {
                second = new CountingConsumer(engine, store, out).run(List.of(topic), () -> {
                    try {
                        return store.offsets(partitions).equals(endOffsets);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, Duration.ZERO);
            }
            out.printf("second run counted %d%n%n", second);

            Map<String, Long> counts = store.counts(topic);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            out.printf("In the database: %d keys, %d records counted (%d + %d), stored offsets %s = end offsets: %s%n",
                    counts.size(), total, first, second, CountingConsumer.format(store.offsets(partitions)),
                    store.offsets(partitions).equals(endOffsets));
            out.printf("user-0: %d, user-1: %d, user-49: %d (600 each written)%n", counts.get("user-0"), counts.get("user-1"),
                    counts.get("user-49"));
        }
    }

    private static BooleanSupplier totalAtLeast(OffsetStore store, String topic, long records) {
        return () -> {
            try {
                return store.counts(topic).values().stream().mapToLong(Long::longValue).sum() >= records;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
