package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** Retries, recoverers, poison pills and bad configuration of a container. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerContainerErrorsTest {

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aFailingHandlerIsRetriedThenDeadLetteredWithItsOriginalBytesAndWhyAndThePartitionMovesOn(String protocol,
            KafkaBroker kafka) {
        String topic = Engines.unique("c-dlt");
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic + ".DLT", 1);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, 10)
                .mapToObj(i -> new ProducerRecord<>(topic, 0, "k" + i, i == 3 ? "bad" : "good-" + i)).toList());
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-dlt", topic, protocol)
                .retryPolicy(RetryPolicy.fixed(3, Duration.ofMillis(20)))
                .recoverer(Recoverers.deadLetterTopic(kafka.clientProperties()))
                .handler(record -> {
                    calls.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
                    if (record.value().equals("bad")) {
                        throw new IllegalArgumentException("cannot handle " + record.value());
                    }
                    handled.add(record.value());
                }).build();
                ConsumerEngine<String, String> dlt = Engines.builder(kafka).build()) {
            container.start();
            await().until(() -> handled.size() == 9);
            assertThat(calls.get("bad")).hasValue(3);
            String group = container.snapshot().groupId();
            await().until(() -> Containers.committed(kafka, group).getOrDefault(new TopicPartition(topic, 0), -1L) == 10);

            dlt.assign(List.of(new TopicPartition(topic + ".DLT", 0)));
            dlt.start();
            ConsumerRecord<String, String> letter = dlt.getOne(Duration.ofSeconds(10)).orElseThrow();
            assertThat(letter.key()).isEqualTo("k3");
            assertThat(letter.value()).isEqualTo("bad");
            assertThat(header(letter, Recoverers.EXCEPTION_CLASS_HEADER)).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(header(letter, Recoverers.EXCEPTION_MESSAGE_HEADER)).isEqualTo("cannot handle bad");
            assertThat(header(letter, Recoverers.ORIGINAL_TOPIC_HEADER)).isEqualTo(topic);
            assertThat(header(letter, Recoverers.ORIGINAL_PARTITION_HEADER)).isEqualTo("0");
            assertThat(header(letter, Recoverers.ORIGINAL_OFFSET_HEADER)).isEqualTo("3");
            assertThat(header(letter, Recoverers.ATTEMPTS_HEADER)).isEqualTo("3");
            assertThat(dlt.getOne(Duration.ofMillis(500))).as("exactly one letter").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRecordThatCannotBeDeserializedGoesStraightToTheRecovererWithItsRawBytes(String protocol, KafkaBroker kafka) {
        String topic = Engines.unique("c-poison");
        kafka.createTopic(topic, 1);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, 10)
                .mapToObj(i -> new ProducerRecord<>(topic, 0, "k", i == 6 ? "not-an-int" : "abcd")).toList());
        List<FailedRecord<String, Integer>> recovered = Collections.synchronizedList(new ArrayList<>());
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        String group = Engines.unique("c-poison");
        try (ConsumerContainer<String, Integer> container = ConsumerContainer.builder("c-poison", new StringDeserializer(),
                        new IntegerDeserializer())
                .properties(kafka.clientProperties()).property("auto.offset.reset", "earliest")
                .groupId(group).properties(Engines.groupProperties(kafka, group, protocol)).topics(List.of(topic))
                .recoverer(recovered::add)
                .handler(record -> handled.add(record.offset())).build()) {
            container.start();
            await().until(() -> handled.size() == 9);
        }
        assertThat(handled).doesNotContain(6L);
        assertThat(recovered).singleElement().satisfies(failed -> {
            assertThat(failed.deserializationFailed()).isTrue();
            assertThat(failed.offset()).isEqualTo(6);
            assertThat(failed.attempts()).isZero();
            assertThat(new String(failed.raw().value(), StandardCharsets.UTF_8)).isEqualTo("not-an-int");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRecovererThatThrowsStopsTheContainerInFailedAndNothingPastTheRecordIsCommitted(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-stop", 1, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        ConsumerContainer<String, String> container = Containers.builder(kafka, "c-stop", topic, protocol)
                .retryPolicy(RetryPolicy.none())
                .recoverer(Recoverers.stopContainer())
                .handler(record -> {
                    if (record.offset() == 4) {
                        throw new IllegalStateException("broken");
                    }
                    handled.add(record.offset());
                }).build();
        container.start();
        String group = container.snapshot().groupId();
        await().until(() -> container.state() == ContainerState.FAILED && !container.isRunning());
        assertThat(container.snapshot().failure()).hasValueSatisfying(reason -> assertThat(reason).contains(tp.toString()));
        await().until(() -> Containers.committed(kafka, group).getOrDefault(tp, -1L) == 4);
        container.stop();
        assertThat(container.state()).isEqualTo(ContainerState.FAILED);
        assertThat(handled).as("nothing after the failed record is handled").containsExactly(0L, 1L, 2L, 3L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aContainerStartsWithoutWaitingForAnUnreachableBrokerAndStopsPromptly(String protocol) {
        ConsumerContainer<String, String> container = ConsumerContainer.builder("c-unreachable", new StringDeserializer(),
                        new StringDeserializer())
                .bootstrapServers("127.0.0.1:1").groupId(Engines.unique("c-unreachable")).topics(List.of("t"))
                .property("group.protocol", protocol)
                .handler(record -> { }).build();
        long started = System.nanoTime();
        container.start();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(container.state()).isEqualTo(ContainerState.STARTING);
        assertThat(container.snapshot().partitions()).isEmpty();
        long stopping = System.nanoTime();
        container.stop(Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThatIllegalStateException().isThrownBy(container::start).withMessageContaining("already");
    }

    @Test
    void buildingWithoutASubscriptionHandlerOrGroupIsRefusedWithTheReason() {
        ConsumerContainer.Builder<String, String> builder = ConsumerContainer.builder("c-bad", new StringDeserializer(),
                new StringDeserializer()).bootstrapServers("127.0.0.1:1");
        assertThatIllegalStateException().isThrownBy(builder::build).withMessageContaining("topics, topicPattern or partitions");
        builder.topics(List.of("t"));
        assertThatIllegalStateException().isThrownBy(builder::build).withMessageContaining("no handler");
        builder.handler(record -> { });
        assertThatIllegalStateException().isThrownBy(builder::build).withMessageContaining("group id");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.concurrency(0));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.commitInterval(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maxInFlight(0));
        assertThatIllegalArgumentException().isThrownBy(() -> ConsumerContainer.builder(" ", new StringDeserializer(),
                new StringDeserializer()));
        assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.fixed(0, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.exponential(3, Duration.ofMillis(1), 0.5,
                Duration.ofSeconds(1)));
    }

    @Test
    void aProcessingTimeoutThatIsNotPositiveIsRefusedWithTheReason() {
        ConsumerContainer.Builder<String, String> builder = ConsumerContainer.builder("c-timeout", new StringDeserializer(),
                new StringDeserializer());
        assertThatIllegalArgumentException().isThrownBy(() -> builder.processingTimeout(Duration.ZERO))
                .withMessage("processingTimeout must be positive, was PT0S; leave it unset for no limit");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.processingTimeout(Duration.ofMillis(-5)))
                .withMessageContaining("processingTimeout must be positive, was PT-0.005S");
        assertThatNullPointerException().isThrownBy(() -> builder.processingTimeout(null)).withMessageContaining("timeout");
        assertThat(builder.processingTimeout(Duration.ofMillis(1))).isSameAs(builder);
    }

    @Test
    void aMaxPollRecordsThatIsNotAPositiveNumberIsRefusedNamingTheProperty() {
        for (Object value : List.of(0, -1, "abc", "99999999999")) {
            ConsumerContainer.Builder<String, String> builder = ConsumerContainer.builder("c-poll", new StringDeserializer(),
                    new StringDeserializer()).bootstrapServers("127.0.0.1:1").groupId("g").topics(List.of("t"))
                    .handler(record -> { }).property("max.poll.records", value);
            assertThatThrownBy(builder::build).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("Invalid value " + value + " for configuration max.poll.records");
        }
    }

    @Test
    void aFailureIsClassifiedByTheFirstOfItAndItsCausesThatATypeMatchesARetryableTypeWinning() {
        RetryPolicy policy = RetryPolicy.fixed(3, Duration.ZERO);
        assertThat(policy.isRetryable(new IllegalStateException("transient"))).isTrue();
        assertThat(policy.isRetryable(new ClassCastException())).as("a default").isFalse();
        assertThat(policy.isRetryable(new RuntimeException(new org.apache.kafka.common.errors.SerializationException("bad"))))
                .as("found among the causes").isFalse();

        RetryPolicy tuned = policy.withNotRetryable(IllegalArgumentException.class).withRetryable(NumberFormatException.class);
        assertThat(tuned.isRetryable(new IllegalArgumentException())).isFalse();
        assertThat(tuned.isRetryable(new NumberFormatException())).as("retryable wins at the same level").isTrue();
        assertThat(tuned.isRetryable(new IllegalArgumentException(new NumberFormatException())))
                .as("the outer exception decides first").isFalse();
        assertThat(tuned.notRetryable()).containsAll(RetryPolicy.DEFAULT_NOT_RETRYABLE);
        assertThat(RetryPolicy.DEFAULT).isEqualTo(RetryPolicy.exponential(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)));
    }

    @Test
    void retryBackOffGrowsUpToItsLimit() {
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofMillis(100), 2.0, Duration.ofMillis(300));
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMillis(300));
        assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofMillis(300));
    }
}
