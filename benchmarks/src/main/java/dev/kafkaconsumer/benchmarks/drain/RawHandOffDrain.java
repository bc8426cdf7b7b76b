package dev.kafkaconsumer.benchmarks.drain;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;

/**
 * B2's floor for any consumer that keeps handlers off the thread that polls (issue 17, item 1): a plain
 * {@link KafkaConsumer} poll loop that hands each poll's records, as they are, to one handler thread through a bounded
 * queue, and nothing else: no commits, no tracking of what is done, no ordering beyond the queue's, no bound but the
 * queue's {@value #POLLS_IN_FLIGHT} polls (the container's default bound in a fast drain is 16 polls' worth). The
 * handler thread reads each record on a core other than the one kafka-clients parsed it on, inside {@code poll}, as a
 * container's workers do; what this costs over {@code raw}, which handles each record on the polling thread, is the
 * price of the hand-off itself, whoever makes it.
 */
final class RawHandOffDrain implements Drain {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final int POLLS_IN_FLIGHT = 16;
    /** Tells the handler thread that the drain is over; the poll loop hands over no empty poll. */
    private static final ConsumerRecords<byte[], byte[]> END = ConsumerRecords.empty();

    /** {@code group.protocol}, or null for kafka-clients' default. */
    private final String groupProtocol;

    /** @param groupProtocol {@code group.protocol} of every drain, or null for kafka-clients' default */
    RawHandOffDrain(String groupProtocol) {
        this.groupProtocol = groupProtocol;
    }

    @Override
    public String name() {
        return DrainBenchmark.RAW_HAND_OFF;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        BlockingQueue<ConsumerRecords<byte[], byte[]>> polls = new ArrayBlockingQueue<>(POLLS_IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                DrainProperties.forRun(bootstrapServers, name(), run, groupProtocol), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            HandlerMeter meter = new HandlerMeter(targets);
            Thread handler = new Thread(() -> handle(polls, meter, failure), "b2-raw-handoff-handler-" + run);
            handler.setDaemon(true);
            handler.start();
            long timeoutSeconds = HandlerMeter.timeoutSeconds(records);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            // the drain goes on until the handler counted every record, failed, or the time is up; await says which
            BooleanSupplier draining = () -> !meter.done() && failure.get() == null && System.nanoTime() - deadline < 0;
            try {
                consumer.subscribe(List.of(topic));
                while (draining.getAsBoolean()) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                    // waits while the handler is POLLS_IN_FLIGHT polls behind, for as long as the drain goes on
                    boolean handedOver = batch.isEmpty();
                    while (!handedOver && draining.getAsBoolean()) {
                        handedOver = polls.offer(batch, POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
                meter.await(name(), timeoutSeconds, failure::get);
                return meter.finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(name() + " was interrupted", e);
            } finally {
                polls.clear();
                polls.offer(END);
            }
        }
    }

    private static void handle(BlockingQueue<ConsumerRecords<byte[], byte[]>> polls, HandlerMeter meter,
            AtomicReference<Throwable> failure) {
        try {
            for (ConsumerRecords<byte[], byte[]> batch = polls.take(); batch != END; batch = polls.take()) {
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    meter.count(record);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure.set(e);
        }
    }
}
