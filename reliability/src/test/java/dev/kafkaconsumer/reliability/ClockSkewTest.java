package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.PartitionLag;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R19: clocks that disagree. Producers stamp records hours in the future and in the past (CreateTime), and
 * a LogAppendTime topic has the broker stamp them. The time lag of the lag tracker (the actuator's
 * {@code timeLagMillis} and the {@code kafka.consumer.time.lag} gauge) is estimated from when this process saw
 * the end offsets move, never from record timestamps, so it must stay between zero and the run's own duration
 * whatever the stamps say; the age a timestamp-based estimate would give is reported beside it.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class ClockSkewTest {

    private static final long SKEW = TimeUnit.HOURS.toMillis(3);
    private static final int PARTITIONS = 3;
    private static final int BURSTS = 4;
    private static final int PER_BURST = 300;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"classic, CreateTime", "consumer, CreateTime", "classic, LogAppendTime", "consumer, LogAppendTime"})
    void theTimeLagIsNeverNegativeNorLongerThanTheRunWhateverTheRecordTimestampsSay(String protocol, String timestampType,
            KafkaBroker kafka, Results results) throws Exception {
        String topic = Scenarios.unique("r19-" + timestampType.toLowerCase() + "-" + protocol);
        kafka.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1).configs(Map.of("message.timestamp.type", timestampType,
                // a broker refuses CreateTime more than an hour ahead by default (see refusedByDefault)
                "message.timestamp.after.max.ms", String.valueOf(TimeUnit.DAYS.toMillis(1))))));
        Scenarios.shortSessions(kafka, topic, protocol);
        Path events = dir.resolve(topic + ".events");
        AtomicLong youngest = new AtomicLong(Long.MAX_VALUE);
        AtomicLong oldest = new AtomicLong(Long.MIN_VALUE);
        LagTracker tracker = new LagTracker(10);
        AtomicLong leastTimeLag = new AtomicLong(Long.MAX_VALUE);
        AtomicLong mostTimeLag = new AtomicLong(Long.MIN_VALUE);
        AtomicInteger samples = new AtomicInteger();
        List<Long> acknowledged = new ArrayList<>();
        long started = System.currentTimeMillis();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "r19-lag-sampler"));
        try (EventLog log = EventLog.open(events)) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log, record -> {
                long age = System.currentTimeMillis() - record.timestamp(); // what a timestamp-based lag would say
                youngest.accumulateAndGet(age, Math::min);
                oldest.accumulateAndGet(age, Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // slow enough for a lag to build up
            }).build();
            container.start();
            sampler.scheduleAtFixedRate(() -> {
                tracker.sample(container.snapshot());
                for (PartitionLag lag : tracker.partitions(container.name())) {
                    lag.timeLagMillis().ifPresent(millis -> {
                        leastTimeLag.accumulateAndGet(millis, Math::min);
                        mostTimeLag.accumulateAndGet(millis, Math::max);
                    });
                }
                samples.incrementAndGet();
            }, 0, 100, TimeUnit.MILLISECONDS);
            try {
                for (int burst = 0; burst < BURSTS; burst++) {
                    acknowledged.addAll(produceSkewed(kafka, topic, burst));
                    int sampled = samples.get();
                    await().atMost(Duration.ofSeconds(30)).until(() -> samples.get() >= sampled + 5);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= acknowledged.size());
            } finally {
                sampler.shutdownNow();
                container.stop(Duration.ofSeconds(10));
            }
        }
        long run = System.currentTimeMillis() - started;
        CheckResult result = Checker.check(List.of(events), acknowledged);
        Scenarios.report(results, "R19 clock skew, " + timestampType, protocol, result, String.format("records stamped %s; "
                + "their age by timestamp at handling: %+d s to %+d s (what a timestamp-based lag would show); the tracker's time lag, "
                + "%d samples: %d to %d ms, in a run of %d ms", timestampType.equals("CreateTime")
                        ? "3 h ahead (partition 0), 3 h behind (1), alternately both (2)" : "by the broker (sent 3 h ahead)",
                youngest.get() / 1000, oldest.get() / 1000, samples.get(), leastTimeLag.get(), mostTimeLag.get(),
                run));
        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(mostTimeLag.get()).as("a time lag was estimated").isNotEqualTo(Long.MIN_VALUE);
        assertThat(leastTimeLag.get()).as("the least time lag").isGreaterThanOrEqualTo(0);
        assertThat(mostTimeLag.get()).as("the greatest time lag, against the run's duration").isLessThanOrEqualTo(run);
        if (timestampType.equals("CreateTime")) {
            assertThat(youngest.get()).as("the records' own stamps were skewed").isLessThan(-SKEW / 2);
            assertThat(oldest.get()).isGreaterThan(SKEW / 2);
        } else {
            assertThat(youngest.get()).as("the broker's stamps replaced the producer's").isGreaterThan(-SKEW / 2);
        }
    }

    /** A broker's own default refuses a CreateTime more than an hour ahead: what an operator sees instead of a skewed record. */
    @Test
    void aRecordStampedHoursAheadIsRefusedByABrokerWithItsDefaults(KafkaBroker kafka, Results results) {
        String topic = Scenarios.unique("r19-default");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            Throwable refused = null;
            try {
                producer.send(new ProducerRecord<>(topic, 0, System.currentTimeMillis() + SKEW, null, "0")).get();
            } catch (ExecutionException e) {
                refused = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            results.note("R19 clock skew, 3 h ahead, broker defaults", "-", "send refused: " + refused);
            assertThat(refused).isInstanceOf(InvalidTimestampException.class);
        }
    }

    /** One burst: partition 0 stamped {@link #SKEW} ahead, partition 1 behind, partition 2 alternately both. */
    private static List<Long> produceSkewed(KafkaBroker kafka, String topic, int burst) {
        long now = System.currentTimeMillis();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < PER_BURST * PARTITIONS; i++) {
            long sequence = (long) burst * PER_BURST * PARTITIONS + i;
            int partition = i % PARTITIONS;
            long stamp = partition == 0 || (partition == 2 && i % 2 == 0) ? now + SKEW : now - SKEW;
            records.add(new ProducerRecord<>(topic, partition, stamp, null, String.valueOf(sequence)));
            sequences.add(sequence);
        }
        kafka.send(new StringSerializer(), new StringSerializer(), records);
        return sequences;
    }
}
