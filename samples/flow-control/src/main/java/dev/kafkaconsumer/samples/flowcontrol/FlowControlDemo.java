package dev.kafkaconsumer.samples.flowcontrol;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.samples.flowcontrol.PartitionPicker.PartitionState;
import dev.kafkaconsumer.test.KafkaBroker;

/**
 * Consumption flow control with the engine used directly: starts an in-process broker, writes a big
 * backlog to partition 0 and a little to partitions 1 and 2 (where more keeps arriving), and consumes
 * with a {@link PrioritisingLoop}, printing each partition's position, high-water mark and lag every
 * second. {@code mvn -B -q -pl samples/flow-control -am compile exec:java} runs it.
 */
public final class FlowControlDemo {

    static final String TOPIC = "flow-orders";
    static final int PARTITIONS = 3;

    private static final Logger log = LoggerFactory.getLogger(FlowControlDemo.class);

    /** Records written to partitions 1 and 2 before consuming starts. */
    private static final int SMALL_BACKLOG = 500;
    /** Records per 100 ms written to partitions 1 and 2 while consuming: 100/s each. */
    private static final int ARRIVING_PER_TICK = 10;
    /** Simulated processing cost: the loop handles about 2,000 records a second. */
    private static final int RECORDS_PER_MILLI = 2;

    private FlowControlDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optionally the backlog of partition 0 (default 20,000)
     */
    public static void main(String[] args) {
        int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (KafkaBroker kafka = KafkaBroker.builder().start()) {
            System.out.println("Started an in-process Kafka broker at " + kafka.bootstrapServers());
            run(kafka, backlog, System.out);
        }
    }

    /**
     * Writes the backlogs, consumes until partition 0 has caught up and two more seconds have passed.
     *
     * @return the whole seconds it took partition 0 to reach lag 0
     */
    static int run(KafkaBroker kafka, int backlog, PrintStream out) {
        kafka.createTopic(TOPIC, PARTITIONS);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, backlog + 2 * SMALL_BACKLOG)
                .mapToObj(i -> i < backlog ? record(0, i) : record(1 + i % 2, i))
                .toList());
        out.printf("Wrote %d records to %s-0 and %d each to %s-1 and %s-2, where %d/s more arrive%n",
                backlog, TOPIC, SMALL_BACKLOG, TOPIC, TOPIC, ARRIVING_PER_TICK * 10);

        ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flow-control-producer");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("Uncaught exception on {}", t.getName(), e));
            return thread;
        });
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer());
                ConsumerEngine<String, String> engine = ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                        .bootstrapServers(kafka.bootstrapServers())
                        .property("auto.offset.reset", "earliest")
                        .build()) {
            int[] sequence = {backlog + 2 * SMALL_BACKLOG};
            arrivals.scheduleAtFixedRate(() -> {
                for (int i = 0; i < ARRIVING_PER_TICK; i++) {
                    producer.send(record(1, sequence[0]++));
                    producer.send(record(2, sequence[0]++));
                }
            }, 100, 100, TimeUnit.MILLISECONDS);

            engine.assign(partitions);
            engine.start();
            PrioritisingLoop<String, String> loop = new PrioritisingLoop<>(engine, new PartitionPicker(Duration.ofSeconds(3)),
                    Clock.systemUTC());
            out.println("Consuming: each getMany asks for the partition that lags most, or one not fetched for 3 s");
            return consume(loop, out);
        } finally {
            arrivals.shutdownNow();
        }
    }

    private static int consume(PrioritisingLoop<String, String> loop, PrintStream out) {
        long started = System.nanoTime();
        long nextReport = started + TimeUnit.SECONDS.toNanos(1);
        long stopAt = started + TimeUnit.MINUTES.toNanos(2);
        int caughtUpAt = -1;
        Map<TopicPartition, Integer> taken = new HashMap<>();
        out.printf("%4s  %-14s %9s %10s %7s %8s %12s%n", "t", "partition", "position", "highwater", "lag", "taken", "last fetch");
        while (System.nanoTime() < stopAt) {
            PrioritisingLoop.Step<String, String> step = loop.next(Duration.ofMillis(200), 100);
            step.records().forEach((partition, records) -> taken.merge(partition, records.size(), Integer::sum));
            process(step.count());
            long now = System.nanoTime();
            if (now >= nextReport) {
                int second = (int) TimeUnit.NANOSECONDS.toSeconds(now - started);
                Map<TopicPartition, PartitionState> states = loop.states();
                printTable(second, states, taken, out);
                taken.clear();
                nextReport += TimeUnit.SECONDS.toNanos(1);
                PartitionState first = states.get(new TopicPartition(TOPIC, 0));
                if (caughtUpAt < 0 && first != null && first.known() && first.lag() == 0) {
                    caughtUpAt = second;
                    out.printf("%s-0 caught up after %d s; two more seconds, then stop%n", TOPIC, second);
                    stopAt = now + TimeUnit.SECONDS.toNanos(2);
                }
            }
        }
        return caughtUpAt;
    }

    private static void printTable(int second, Map<TopicPartition, PartitionState> states, Map<TopicPartition, Integer> taken,
            PrintStream out) {
        long nowMillis = System.currentTimeMillis();
        boolean firstRow = true;
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition partition = new TopicPartition(TOPIC, p);
            PartitionState state = states.get(partition);
            if (state == null || !state.known()) {
                continue;
            }
            out.printf("%4s  %-14s %9d %10d %7d %8d %9d ms%n", firstRow ? second + "s" : "", partition,
                    state.position().getAsLong(), state.highwater().getAsLong(), state.lag(), taken.getOrDefault(partition, 0),
                    nowMillis - state.lastPollTimestamp().getAsLong());
            firstRow = false;
        }
    }

    /** Stands for the application's work on a batch, so that catching up takes seconds, not milliseconds. */
    private static void process(int records) {
        try {
            Thread.sleep(records / RECORDS_PER_MILLI);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while processing", e);
        }
    }

    private static ProducerRecord<String, String> record(int partition, int sequence) {
        String customer = "customer-" + (sequence % 97);
        return new ProducerRecord<>(TOPIC, partition, customer, "{\"order\":" + sequence + ",\"customer\":\"" + customer + "\"}");
    }
}
