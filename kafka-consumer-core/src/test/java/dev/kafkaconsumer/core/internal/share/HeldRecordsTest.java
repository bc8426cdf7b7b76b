package dev.kafkaconsumer.core.internal.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ShareEngineListener;
import dev.kafkaconsumer.core.TestViews;
import dev.kafkaconsumer.core.internal.CallbackExecutor;
import dev.kafkaconsumer.core.internal.ManualTime;

/**
 * What a poll's records become in the held records: each partition's new deliveries one batch, published to the
 * ready records the moment they are placed, the first partition's before the others' are made.
 */
class HeldRecordsTest {

    private static final TopicPartition FIRST = new TopicPartition("orders", 0);
    private static final TopicPartition SECOND = new TopicPartition("orders", 1);
    private static final TopicPartition THIRD = new TopicPartition("orders", 2);

    private final CallbackExecutor callbacks = new CallbackExecutor("held-records-test");
    private final ShareTally tally = new ShareTally();
    private final ShareEvents events = new ShareEvents(new ShareEngineListener() { }, callbacks, tally, "held-records-test");
    private final HeldRecords<String, String> held = new HeldRecords<>(new FakeShareConsumer(), config(),
            new Inbox(() -> { }), events, new Confirmations(events), TestViews::view, ManualTime.waiting());

    @AfterEach
    void shutdown() {
        callbacks.shutdown();
    }

    @Test
    void theFirstPartitionIsPublishedPlacedAndHeldBeforeTheOthersAreMade() {
        List<String> published = new ArrayList<>();
        List<Acquisition<String, String>> all = new ArrayList<>();
        held.received(poll(Map.of(FIRST, 3, SECOND, 2, THIRD, 1)), Optional.of(30_000), 0L, part -> {
            for (Acquisition<String, String> record : part) {
                assertThat(record.batch()).as("%s is placed in its batch before anyone can take it", record).isNotNull();
            }
            published.add(describe(part) + " with " + held.size() + " held");
            all.addAll(part);
        });

        assertThat(published).containsExactly("orders-0@0,orders-0@1,orders-0@2 with 3 held",
                "orders-1@0,orders-1@1,orders-2@0 with 6 held");
        assertThat(held.inFlight()).isEqualTo(6);
        assertThat(tally.acquired()).isEqualTo(6);
        assertThat(all).extracting(Acquisition::index).containsExactly(0, 1, 2, 0, 1, 0);
    }

    @Test
    void aPollOfOnePartitionIsPublishedOnce() {
        List<String> published = new ArrayList<>();
        held.received(poll(Map.of(SECOND, 2)), Optional.of(30_000), 0L, part -> published.add(describe(part)));

        assertThat(published).containsExactly("orders-1@0,orders-1@1");
    }

    @Test
    void anEmptyPollPublishesNothing() {
        List<String> published = new ArrayList<>();
        held.received(poll(Map.of()), Optional.of(30_000), 0L, part -> published.add(describe(part)));

        assertThat(published).isEmpty();
        assertThat(held.size()).isZero();
    }

    private static String describe(List<Acquisition<String, String>> part) {
        List<String> names = new ArrayList<>();
        part.forEach(record -> names.add(record.partition() + "@" + record.record().offset()));
        return String.join(",", names);
    }

    /** A poll with that many records (offsets from 0) of each partition, the partitions in the order given by name. */
    private static ConsumerRecords<String, String> poll(Map<TopicPartition, Integer> counts) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
                .forEach(entry -> {
                    List<ConsumerRecord<String, String>> list = new ArrayList<>();
                    for (long offset = 0; offset < entry.getValue(); offset++) {
                        list.add(new ConsumerRecord<>(entry.getKey().topic(), entry.getKey().partition(), offset, -1L,
                                TimestampType.NO_TIMESTAMP_TYPE, -1, -1, "k", "v", new RecordHeaders(), Optional.empty(),
                                Optional.of((short) 1)));
                    }
                    records.put(entry.getKey(), list);
                });
        return new ConsumerRecords<>(records, Map.of());
    }

    private static ShareEngineConfig config() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", "h:1");
        properties.put("group.id", "g");
        properties.put("client.id", "held-records-test");
        return new ShareEngineConfig(properties, new StringDeserializer(), new StringDeserializer(), true,
                Duration.ofMinutes(5), Duration.ofMillis(100));
    }
}
