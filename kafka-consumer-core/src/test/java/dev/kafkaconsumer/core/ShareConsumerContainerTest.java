package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * Share containers on the in-process broker, share groups enabled: records shared among containers on one
 * partition, acknowledgements, redeliveries with their delivery count, dead letters, manual acknowledgement,
 * concurrency, stop and lock expiry. Records are counted by their sequence number ({@code v<i>}), so that a
 * record handled twice or never shows.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ShareConsumerContainerTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    /** A String share container builder on the broker, in the given share group, over one topic. */
    private static ShareConsumerContainer.Builder<String, String> builder(KafkaBroker kafka, String name, String group,
            String topic) {
        return ShareConsumerContainer.builder(name, new StringDeserializer(), new StringDeserializer())
                .properties(kafka.clientProperties()).groupId(group).topics(List.of(topic));
    }

    private static int sequence(String value) {
        return Integer.parseInt(value.substring(1));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The next record of a dead-letter topic, read by a plain engine. */
    private static ConsumerRecord<String, String> deadLetter(KafkaBroker kafka, String topic) {
        try (ConsumerEngine<String, String> dlt = Engines.builder(kafka).build()) {
            dlt.assign(List.of(new TopicPartition(topic + ".DLT", 0)));
            dlt.start();
            return dlt.getOne(Duration.ofSeconds(10)).orElseThrow();
        }
    }

    @Test
    void everyRecordHandledIsAcceptedOnceAndNeverDeliveredAgain(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "sc-accept", 1, 50);
        String group = ShareEngines.shareGroup(kafka, "sc-accept");
        Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-accept", group, topic)
                .handler(record -> handled.computeIfAbsent(sequence(record.value()), i -> new AtomicInteger()).incrementAndGet())
                .build()) {
            container.start();
            await().atMost(LONG).until(() -> container.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT) == 50);
            ShareContainerSnapshot snapshot = container.snapshot();
            assertThat(snapshot.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(snapshot.deliveryCounts()).containsExactly(Map.entry(1, 50L));
            assertThat(snapshot.acquired()).isZero();
            assertThat(snapshot.inFlight()).isZero();
        }
        assertThat(handled).hasSize(50).allSatisfy((sequence, count) -> assertThat(count).hasValue(1));

        Engines.produce(kafka, topic, 1, 50, 1);
        List<String> again = new CopyOnWriteArrayList<>();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-accept-2", group, topic)
                .handler(record -> again.add(record.value())).build()) {
            container.start();
            await().atMost(LONG).until(() -> again.contains("v50"));
        }
        assertThat(again).containsExactly("v50");
    }

    @Test
    void severalContainersOnOnePartitionShareItsRecordsAndNoneIsHandledTwice(KafkaBroker kafka) {
        int records = 300;
        String topic = Engines.topicWithRecords(kafka, "sc-shared", 1, records);
        String group = ShareEngines.shareGroup(kafka, "sc-shared");
        Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> byContainer = new ConcurrentHashMap<>();
        // each container holds its first record until every container has one: proof that they share the partition
        CountDownLatch everyoneHasOne = new CountDownLatch(3);
        List<ShareConsumerContainer<String, String>> containers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String name = "sc-shared-" + i;
                // record_limit: the broker acquires at most max.poll.records per fetch, not whole batches (all 300 here)
                containers.add(builder(kafka, name, group, topic).concurrency(2).property("max.poll.records", 10)
                        .property("share.acquire.mode", "record_limit")
                        .handler(record -> {
                            if (byContainer.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet() == 1) {
                                everyoneHasOne.countDown();
                                everyoneHasOne.await(30, TimeUnit.SECONDS);
                            }
                            handled.computeIfAbsent(sequence(record.value()), s -> new AtomicInteger()).incrementAndGet();
                        }).build());
            }
            containers.forEach(ShareConsumerContainer::start);
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == records);
            await().atMost(LONG).until(() -> containers.stream()
                    .mapToLong(container -> container.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT)).sum() == records);
        } finally {
            containers.forEach(ShareConsumerContainer::stop);
        }
        assertThat(everyoneHasOne.getCount()).isZero();
        assertThat(byContainer).hasSize(3);
        assertThat(handled).hasSize(records).allSatisfy((sequence, count) -> assertThat(count).as("v" + sequence).hasValue(1));
        assertThat(containers).allSatisfy(container -> assertThat(container.snapshot().deliveryCounts()).containsOnlyKeys(1));
    }

    @Test
    void aContainerOfTwoShareConsumersTakesFromBothAndHandlesEveryRecordOnce(KafkaBroker kafka) {
        int records = 200;
        String topic = Engines.topicWithRecords(kafka, "sc-two", 2, records);
        String group = ShareEngines.shareGroup(kafka, "sc-two");
        Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
        Map<String, Double> consumedByClient = new ConcurrentHashMap<>();
        // record_limit with small polls: each consumer acquires 10 records a poll, so both get some of the 200
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-two", group, topic).concurrency(4).consumers(2)
                .property("max.poll.records", 10).property("share.acquire.mode", "record_limit")
                .handler(record -> handled.computeIfAbsent(sequence(record.value()), s -> new AtomicInteger()).incrementAndGet())
                .build()) {
            container.start();
            await().atMost(LONG).until(() -> container.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT) == records);
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .contains("kafka-consumer-share-io-sc-two-1", "kafka-consumer-share-io-sc-two-2");
            container.metrics().forEach((name, metric) -> {
                if (name.name().equals("records-consumed-total") && !name.tags().containsKey("topic")) {
                    consumedByClient.put(name.tags().get("client-id"), (Double) metric.metricValue());
                }
            });
            assertThat(container.snapshot().deliveryCounts()).containsExactly(Map.entry(1, (long) records));
        }
        assertThat(handled).hasSize(records).allSatisfy((sequence, count) -> assertThat(count).as("v" + sequence).hasValue(1));
        assertThat(consumedByClient).as("records each share consumer fetched").containsOnlyKeys("sc-two-1", "sc-two-2")
                .allSatisfy((client, consumed) -> assertThat(consumed).as(client).isPositive());
        assertThat(consumedByClient.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(records);
    }

    @Test
    void aFailingRecordIsRedeliveredWithAGrowingDeliveryCountThenDeadLetteredWithItAndRejected(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "sc-dlt", 1, 10);
        kafka.createTopic(topic + ".DLT", 1);
        String group = ShareEngines.shareGroup(kafka, "sc-dlt");
        List<Integer> deliveriesOfV3 = new CopyOnWriteArrayList<>();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<String> heard = new CopyOnWriteArrayList<>();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-dlt", group, topic)
                .retryPolicy(RetryPolicy.fixed(2, Duration.ofMillis(10))).maxDeliveries(3)
                .recoverer(Recoverers.deadLetterTopic(kafka.clientProperties()))
                .listener(new ContainerListener() {
                    @Override
                    public void acknowledged(String name, TopicPartition partition, AcknowledgeType type, int count) {
                        heard.add(type.name());
                    }
                })
                .handler(record -> {
                    if (record.value().equals("v3")) {
                        deliveriesOfV3.add(record.deliveryCount().orElseThrow().intValue());
                        throw new IllegalStateException("cannot handle v3");
                    }
                    handled.add(record.value());
                }).build()) {
            container.start();
            await().atMost(LONG).until(() -> container.snapshot().acknowledgements().get(AcknowledgeType.REJECT) == 1
                    && container.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT) == 9);

            assertThat(deliveriesOfV3).containsExactly(1, 1, 2, 2, 3, 3);
            ShareContainerSnapshot snapshot = container.snapshot();
            assertThat(snapshot.acknowledgements()).containsEntry(AcknowledgeType.RELEASE, 2L);
            assertThat(snapshot.recovered()).isEqualTo(1);
            assertThat(snapshot.deliveryCounts()).containsEntry(1, 10L).containsEntry(2, 1L).containsEntry(3, 1L);
            // the listener hears on the engine's callback thread, after the snapshot counted: under load, a little later
            await().atMost(LONG).untilAsserted(() -> assertThat(heard).contains("RELEASE", "REJECT", "ACCEPT"));
        }
        assertThat(handled).hasSize(9).doesNotContain("v3");

        ConsumerRecord<String, String> letter = deadLetter(kafka, topic);
        assertThat(letter.value()).isEqualTo("v3");
        assertThat(header(letter, Recoverers.DELIVERY_COUNT_HEADER)).isEqualTo("3");
        assertThat(header(letter, Recoverers.ATTEMPTS_HEADER)).isEqualTo("2");
        assertThat(header(letter, Recoverers.ORIGINAL_OFFSET_HEADER)).isEqualTo("3");
        assertThat(header(letter, Recoverers.EXCEPTION_MESSAGE_HEADER)).isEqualTo("cannot handle v3");

        // rejected: a new member of the group gets what comes after, never v3 again
        Engines.produce(kafka, topic, 1, 10, 1);
        List<String> later = new CopyOnWriteArrayList<>();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-dlt-2", group, topic)
                .handler(record -> later.add(record.value())).build()) {
            container.start();
            await().atMost(LONG).until(() -> later.contains("v10"));
        }
        assertThat(later).containsExactly("v10");
    }

    @Test
    void aRecordThatCannotBeDeserializedIsDeadLetteredOnItsFirstDelivery(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "sc-poison", 1, 5);
        kafka.createTopic(topic + ".DLT", 1);
        String group = ShareEngines.shareGroup(kafka, "sc-poison");
        Deserializer<String> picky = (t, data) -> {
            String value = new String(data, StandardCharsets.UTF_8);
            if (value.equals("v2")) {
                throw new IllegalArgumentException("v2 is not for me");
            }
            return value;
        };
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (ShareConsumerContainer<String, String> container = ShareConsumerContainer.builder("sc-poison",
                new StringDeserializer(), picky).properties(kafka.clientProperties()).groupId(group).topics(List.of(topic))
                .recoverer(Recoverers.deadLetterTopic(kafka.clientProperties()))
                .handler(record -> handled.add(record.value())).build()) {
            container.start();
            await().atMost(LONG).until(() -> container.snapshot().acknowledgements().get(AcknowledgeType.REJECT) == 1
                    && handled.size() == 4);
            assertThat(container.snapshot().deliveryCounts()).containsExactly(Map.entry(1, 5L));
        }
        ConsumerRecord<String, String> letter = deadLetter(kafka, topic);
        assertThat(letter.value()).isEqualTo("v2");
        assertThat(header(letter, Recoverers.DELIVERY_COUNT_HEADER)).isEqualTo("1");
        assertThat(header(letter, Recoverers.ATTEMPTS_HEADER)).isEqualTo("0");
    }

    @Test
    void aRecovererThatFailsReleasesTheRecordUntilTheBrokersOwnLimitArchivesIt(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "sc-norecover", 1, 3);
        String group = ShareEngines.shareGroup(kafka, "sc-norecover", Map.of("share.delivery.count.limit", "2"));
        List<Integer> recoveries = new CopyOnWriteArrayList<>();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-norecover", group, topic)
                .retryPolicy(RetryPolicy.none()).maxDeliveries(1)
                .recoverer(failed -> {
                    recoveries.add(failed.raw().deliveryCount().orElseThrow().intValue());
                    throw new IllegalStateException("the dead-letter topic is down");
                })
                .handler(record -> {
                    if (record.value().equals("v1")) {
                        throw new IllegalStateException("cannot handle v1");
                    }
                    handled.add(record.value());
                }).build()) {
            container.start();
            await().atMost(LONG).until(() -> container.snapshot().acknowledgements().get(AcknowledgeType.RELEASE) == 2);
            assertThat(recoveries).containsExactly(1, 2);
            assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(container.snapshot().recovered()).isZero();
            await().atMost(LONG).until(() -> handled.size() == 2);
        }
    }

    @Test
    void aShareHandlerAcknowledgesByHand(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "sc-manual", 1, 4);
        String group = ShareEngines.shareGroup(kafka, "sc-manual");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-manual", group, topic)
                .shareHandler((record, acknowledgement) -> {
                    seen.add(record.value() + "/" + record.deliveryCount().orElseThrow());
                    if (record.value().equals("v0") && record.deliveryCount().orElseThrow() == 1) {
                        acknowledgement.release();
                    } else if (record.value().equals("v1")) {
                        acknowledgement.reject();
                    } else {
                        acknowledgement.accept();
                    }
                }).build()) {
            container.start();
            await().atMost(LONG).until(() -> container.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT) == 3);
            ShareContainerSnapshot snapshot = container.snapshot();
            assertThat(snapshot.acknowledgements()).containsEntry(AcknowledgeType.RELEASE, 1L).containsEntry(AcknowledgeType.REJECT, 1L);
            assertThat(snapshot.recovered()).isZero();
        }
        assertThat(seen).containsExactlyInAnyOrder("v0/1", "v0/2", "v1/1", "v2/1", "v3/1");
    }

    @Test
    void aContainerHandlesMoreRecordsOfOnePartitionAtOnceThanThePartitionCount(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "sc-concurrency", 1, 8);
        String group = ShareEngines.shareGroup(kafka, "sc-concurrency");
        CountDownLatch fourAtOnce = new CountDownLatch(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-concurrency", group, topic).concurrency(4)
                .handler(record -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        fourAtOnce.countDown();
                        fourAtOnce.await(30, TimeUnit.SECONDS);
                    } finally {
                        running.decrementAndGet();
                    }
                }).build()) {
            container.start();
            await().atMost(LONG).until(() -> container.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT) == 8);
        }
        assertThat(fourAtOnce.getCount()).isZero();
        assertThat(most).hasValue(4);
    }

    @Test
    void aStoppedContainerReleasesTheRecordsItHeldSoThatAnotherGetsThemBeforeTheirLocksExpire(KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "sc-stop", 1, 10);
        String group = ShareEngines.shareGroup(kafka, "sc-stop");
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch stopping = new CountDownLatch(1);
        Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
        ShareConsumerContainer<String, String> first = builder(kafka, "sc-stop-1", group, topic).concurrency(1)
                .handler(record -> {
                    firstStarted.countDown();
                    stopping.await(30, TimeUnit.SECONDS);
                    handled.computeIfAbsent(sequence(record.value()), s -> new AtomicInteger()).incrementAndGet();
                }).build();
        first.start();
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(LONG).until(() -> first.snapshot().acquired() == 10);

        Thread stopper = new Thread(() -> first.stop(Duration.ofSeconds(10)));
        stopper.start();
        await().until(first::state, state -> state == ContainerState.STOPPING);
        stopping.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(first.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(first.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 1L);

        // the group's lock lasts 30 s; released on stop, the rest reach the next member well before that
        try (ShareConsumerContainer<String, String> second = builder(kafka, "sc-stop-2", group, topic)
                .handler(record -> handled.computeIfAbsent(sequence(record.value()), s -> new AtomicInteger()).incrementAndGet())
                .build()) {
            second.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 10);
        }
        assertThat(handled).allSatisfy((sequence, count) -> assertThat(count).as("v" + sequence).hasValue(1));
    }

    /**
     * The first delivery's expiry is reported, its handler's late accept sends nothing (the container's unit tests
     * check that no acknowledgement reaches the engine), and the record is accepted once, on a later delivery.
     * Usually the second; a third can come on a busy machine: the broker's lock started before the engine's, so the
     * broker may take the record back and hand it to this consumer's background fetch (delivery 2) before the
     * engine's release of the expired delivery 1 arrives. Acknowledgements name offsets, not deliveries, so that
     * release applies to delivery 2, whose accept the broker then refuses: a record handled once more, never lost.
     */
    @Test
    void aRecordWhoseHandlerOutlivesItsLockIsReportedAndRedeliveredAndAcceptedOnce(KafkaBroker kafka)
            throws Exception {
        String topic = Engines.topicWithRecords(kafka, "sc-expiry", 1, 1);
        // a 3 s lock: the second delivery's accept must reach the broker within it, on a loaded machine too
        String group = ShareEngines.shareGroup(kafka, "sc-expiry", Map.of("share.record.lock.duration.ms", "3000"));
        CountDownLatch expired = new CountDownLatch(1);
        List<String> heard = new CopyOnWriteArrayList<>();
        List<Integer> deliveries = new CopyOnWriteArrayList<>();
        try (ShareConsumerContainer<String, String> container = builder(kafka, "sc-expiry", group, topic).concurrency(2)
                .lockRenewal(false)
                .listener(new ContainerListener() {
                    @Override
                    public void lockExpired(String name, TopicPartition partition, long offset, int deliveryCount) {
                        heard.add(offset + "/" + deliveryCount);
                        expired.countDown();
                    }
                })
                .handler(record -> {
                    deliveries.add(record.deliveryCount().orElseThrow().intValue());
                    if (record.deliveryCount().orElseThrow() == 1) {
                        expired.await(30, TimeUnit.SECONDS); // outlives its lock
                    }
                }).build()) {
            container.start();
            assertThat(expired.await(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(LONG).untilAsserted(() -> assertThat(container.snapshot())
                    .satisfies(snapshot -> assertThat(snapshot.acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 1L))
                    .satisfies(snapshot -> assertThat(snapshot.inFlight()).isZero()));
            assertThat(heard).first().isEqualTo("0/1");
            assertThat(deliveries).as("each delivery's count, in order").startsWith(1, 2)
                    .isEqualTo(IntStream.rangeClosed(1, deliveries.size()).boxed().toList());
            assertThat(container.snapshot().lockExpirations()).isEqualTo(heard.size());
            await().during(Duration.ofMillis(500)).untilAsserted(() -> assertThat(container.snapshot().acknowledgements())
                    .containsEntry(AcknowledgeType.ACCEPT, 1L));
        }
    }
}
