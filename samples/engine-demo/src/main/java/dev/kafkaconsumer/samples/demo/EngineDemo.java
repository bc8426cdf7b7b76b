package dev.kafkaconsumer.samples.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.test.KafkaBroker;

/**
 * The first run: starts an in-process Kafka broker, produces a few thousand orders and consumes them
 * with a {@link ConsumerEngine}, printing positions, committed offsets, high-water marks and lag half
 * way and at the end. {@code mvn -pl samples/engine-demo -am compile exec:java} runs it.
 */
public final class EngineDemo {

    static final String TOPIC = "demo-orders";
    static final int PARTITIONS = 3;

    private EngineDemo() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        try (KafkaBroker kafka = KafkaBroker.builder().start()) {
            System.out.println("Started an in-process Kafka broker at " + kafka.bootstrapServers());
            run(kafka, records, System.out);
        }
    }

    /**
     * Produces {@code records} orders and consumes them all.
     *
     * @return how many records were consumed
     */
    static int run(KafkaBroker kafka, int records, PrintStream out) {
        kafka.createTopic(TOPIC, PARTITIONS);
        produce(kafka, records);
        out.printf("Produced %d orders to %s (%d partitions)%n", records, TOPIC, PARTITIONS);

        try (ConsumerEngine<String, String> engine = ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers(kafka.bootstrapServers())
                .groupId("engine-demo")
                .property("auto.offset.reset", "earliest")
                .property("auto.commit.interval.ms", 1000)
                .build()) {
            engine.subscribe(List.of(TOPIC));
            engine.start();
            out.printf("Engine %s joined group engine-demo; assigned %s%n", engine.clientId(), sorted(engine.assignment()));

            long started = System.nanoTime();
            int consumed = 0;
            boolean halfShown = false;
            while (consumed < records) {
                Map<TopicPartition, List<ConsumerRecord<String, String>>> batch = engine.getMany(Duration.ofSeconds(1), 250);
                consumed += batch.values().stream().mapToInt(List::size).sum();
                if (!halfShown && consumed >= records / 2) {
                    halfShown = true;
                    out.printf("%nConsumed %d of %d records; auto-commit runs every second in the background%n", consumed, records);
                    printPositions(engine, out);
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            engine.commit();
            out.printf("%nConsumed %d of %d records in %d ms, then committed%n", consumed, records, millis);
            printPositions(engine, out);
            out.println();
            out.println("Stopping: a final commit, then the engine leaves the group");
            return consumed;
        }
    }

    private static void produce(KafkaBroker kafka, int records) {
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, records).mapToObj(i -> {
            String customer = "customer-" + (i % 97);
            return new ProducerRecord<>(TOPIC, i % PARTITIONS, customer, "{\"order\":" + i + ",\"customer\":\"" + customer + "\"}");
        }).toList());
    }

    private static void printPositions(ConsumerEngine<String, String> engine, PrintStream out) {
        out.printf("%-16s %9s %10s %10s %8s%n", "partition", "position", "committed", "highwater", "lag");
        for (TopicPartition partition : sorted(engine.assignment())) {
            OffsetAndMetadata committed = engine.committed(partition);
            long highwater = engine.highwater(partition).orElse(-1);
            long committedOffset = committed == null ? 0 : committed.offset();
            out.printf("%-16s %9d %10s %10d %8d%n", partition, engine.position(partition),
                    committed == null ? "-" : String.valueOf(committed.offset()), highwater, highwater - committedOffset);
        }
    }

    private static List<TopicPartition> sorted(java.util.Collection<TopicPartition> partitions) {
        return partitions.stream().sorted(Comparator.comparing(TopicPartition::toString)).toList();
    }
}
