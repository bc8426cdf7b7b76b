package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ch.qos.logback.classic.Level;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.SeekTarget;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R11: bad configuration and input. Each gives an error that names the problem, nothing crashes (the
 * container keeps running, or stops cleanly when asked), and nothing is lost.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class BadInputTest {

    private static final String CONTAINER_PACKAGE = "dev.kafkaconsumer.core.internal.container";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void anUnknownTopicIsReportedByNameAndConsumedOnceItIsCreated(String protocol, KafkaBroker kafka, Results results)
            throws Exception {
        String topic = Scenarios.unique("r11-unknown-" + protocol);
        Path events = dir.resolve("unknown.events");
        try (EventLog log = EventLog.open(events); LogCapture capture = LogCapture.of(CONTAINER_PACKAGE + ".MissingTopics")) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log, record -> { })
                    .property(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
                    .property(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000)
                    .build();
            container.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> !capture.messages(Level.WARN).isEmpty());
                String warning = capture.messages(Level.WARN).get(0);
                assertThat(warning).contains("[" + topic + "] do not exist", "allow.auto.create.topics=false");
                assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
                kafka.createTopic(topic, 1);
                List<Long> acknowledged = Scenarios.produce(kafka, 100, i -> new ProducerRecord<>(topic, 0, (String) null,
                        String.valueOf(i)));
                await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= 100);
                await().atMost(Duration.ofSeconds(30)).until(() -> !capture.messages(Level.INFO).isEmpty());
                CheckResult result = Checker.check(List.of(events), acknowledged);
                Scenarios.report(results, "R11 unknown topic", protocol, result, "reported: " + warning + "; then: "
                        + capture.messages(Level.INFO).get(0));
                assertThat(capture.messages(Level.INFO).get(0)).contains(topic, "exist now");
                assertThat(result.clean()).as(result.toString()).isTrue();
            } finally {
                container.stop(Duration.ofSeconds(10));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void unreachableBootstrapServersAreReportedByAddressAndTheContainerStillStopsWithinItsTimeout(String protocol,
            Results results) {
        try (LogCapture capture = LogCapture.of(CONTAINER_PACKAGE + ".ContainerRuntime")) {
            ConsumerContainer<String, String> container = ConsumerContainer.builder("r11-unreachable-" + protocol,
                            new org.apache.kafka.common.serialization.StringDeserializer(),
                            new org.apache.kafka.common.serialization.StringDeserializer())
                    .bootstrapServers("127.0.0.1:1")
                    .groupId(Scenarios.unique("r11-unreachable"))
                    .topics(List.of("t"))
                    .properties(Scenarios.groupProperties(protocol))
                    .property(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1500)
                    .handler(record -> { })
                    .build();
            long starting = System.nanoTime();
            container.start();
            long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - starting);
            await().atMost(Duration.ofSeconds(20)).until(() -> !capture.messages(Level.WARN).isEmpty());
            String warning = capture.messages(Level.WARN).get(0);
            // after default.api.timeout.ms the container goes on as RUNNING, still trying to join (see the README)
            ContainerState afterTheWarning = container.state();
            assertThat(afterTheWarning).isIn(ContainerState.STARTING, ContainerState.RUNNING);
            long stopping = System.nanoTime();
            container.stop(Duration.ofSeconds(2));
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            System.out.printf("R11 unreachable %s: start() returned in %d ms; reported: %s; state then %s; stop(2 s) returned in %d ms%n",
                    protocol, startMillis, warning, afterTheWarning, stopMillis);
            results.note("R11 unreachable brokers", protocol, String.format("start() returned in %d ms; reported by address; "
                    + "stop(2 s) returned in %d ms", startMillis, stopMillis));
            assertThat(warning).contains("127.0.0.1:1", "did not join group", "keeps trying");
            // hang-catching bounds, for every build: start() took 0-3 ms, stop(2 s) 1.7 s (classic) and 3.5 s (consumer:
            // its close alone waits out its own timeout for the leave heartbeat)
            assertThat(startMillis).as("start() does not wait for the broker").isLessThan(5_000);
            assertThat(stopMillis).as("stop(2 s): its timeout plus a margin").isLessThan(10_000);
            if (FullSuite.active()) {
                assertThat(stopMillis).as("stop(2 s), in the full suite").isLessThan(5_000);
            }
            assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aNegativeOrOutOfRangeSeekIsRefusedByNameChangesNothingAndAGoodOneStillWorks(String protocol, KafkaBroker kafka, Results results)
            throws Exception {
        String topic = Scenarios.unique("r11-seek-" + protocol);
        kafka.createTopic(topic, 1);
        Scenarios.shortSessions(kafka, topic, protocol);
        List<Long> acknowledged = Scenarios.produce(kafka, 100, i -> new ProducerRecord<>(topic, 0, (String) null, String.valueOf(i)));
        Path events = dir.resolve("seek.events");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (EventLog log = EventLog.open(events)) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log, record -> { }).build();
            container.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= 100);
                assertThatIllegalArgumentException().isThrownBy(() -> container.seek(List.of(partition), SeekTarget.offset(-1)))
                        .withMessage("A seek offset must not be negative, was -1");
                assertThatIllegalArgumentException().isThrownBy(() -> container.seek(List.of(partition), SeekTarget.offset(1_000)))
                        .withMessageContaining("Offset 1000 lies outside " + partition).withMessageContaining("0 to 100");
                assertThatIllegalArgumentException().isThrownBy(() -> container.seek(List.of(new TopicPartition(topic, 7)),
                        SeekTarget.offset(0))).withMessageContaining(topic + "-7").withMessageContaining("not assigned");
                assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
                assertThat(Scenarios.processed(events)).as("a refused seek replays nothing").hasSize(100);
                assertThat(container.seek(List.of(partition), SeekTarget.offset(90))).containsEntry(partition, 90L);
                await().atMost(Duration.ofSeconds(30)).until(() -> Scenarios.processed(events).size() >= 110);
            } finally {
                container.stop(Duration.ofSeconds(10));
            }
        }
        CheckResult result = Checker.check(List.of(events), acknowledged);
        Scenarios.report(results, "R11 bad seeks", protocol, result, "seeks to -1, past the end and to an unassigned partition refused; "
                + "a seek to 90 replayed offsets 90-99 (the duplicates and the non-monotonic offset below)");
        assertThat(result.lost()).isZero();
        assertThat(result.duplicated()).as("exactly the 10 replayed records").isEqualTo(10);
        assertThat(result.commitsAboveUnprocessed()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void anAbsurdMaxPollRecordsIsRefusedByNameOrBoundedAndNothingIsLost(String protocol, KafkaBroker kafka, Results results)
            throws Exception {
        for (Object value : List.of(0, -1, "many")) {
            assertThatThrownBy(() -> Scenarios.container(kafka, "t", "g", protocol, null, record -> { })
                    .property(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value).build())
                    .isInstanceOf(ConfigException.class).hasMessageContaining("max.poll.records");
        }
        int records = ConsumerContainer.MAX_DEFAULT_IN_FLIGHT + 2_000;
        String topic = Scenarios.unique("r11-poll-" + protocol);
        kafka.createTopic(topic, 1);
        Scenarios.shortSessions(kafka, topic, protocol);
        List<Long> acknowledged = Scenarios.produce(kafka, records, i -> new ProducerRecord<>(topic, 0, (String) null, String.valueOf(i)));
        Path events = dir.resolve("poll.events");
        CountDownLatch release = new CountDownLatch(1);
        int mostInFlight;
        try (EventLog log = EventLog.open(events)) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log, record -> {
                        try {
                            release.await(60, TimeUnit.SECONDS); // the first record holds the partition: records pile up
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    })
                    .property(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.MAX_VALUE)
                    .build();
            container.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> container.snapshot().inFlight() >= ConsumerContainer.MAX_DEFAULT_IN_FLIGHT);
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                        .until(() -> container.snapshot().inFlight() == ConsumerContainer.MAX_DEFAULT_IN_FLIGHT);
                mostInFlight = container.snapshot().inFlight();
                release.countDown();
                await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= records);
            } finally {
                release.countDown();
                container.stop(Duration.ofSeconds(10));
            }
        }
        CheckResult result = Checker.check(List.of(events), acknowledged);
        Scenarios.report(results, "R11 absurd max.poll.records", protocol, result, "0, -1 and 'many' refused at build naming max.poll.records; "
                + "Integer.MAX_VALUE: at most " + mostInFlight + " records in flight behind a stuck record, then all processed");
        assertThat(result.clean()).as(result.toString()).isTrue();
    }
}
