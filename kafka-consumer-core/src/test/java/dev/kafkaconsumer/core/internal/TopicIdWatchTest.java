package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** {@link TopicIdWatch} over a map of topic ids that the test changes, as a deletion and a re-creation would. */
class TopicIdWatchTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition AUDIT_0 = new TopicPartition("audit", 0);

    private final Logger watchLogger = (Logger) LoggerFactory.getLogger(TopicIdWatch.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Map<String, Uuid> ids = new HashMap<>();
    private final TopicIdWatch watch = new TopicIdWatch("orders-app", "earliest", () -> Map.copyOf(ids));

    @BeforeEach
    void captureTheWatchesLog() {
        logged.start();
        watchLogger.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        watchLogger.detachAppender(logged);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(event -> event.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aTopicWhoseIdChangesIsReportedOnceByNameWithBothIdsAndTheStartPoint() {
        Uuid old = Uuid.randomUuid();
        Uuid recreated = Uuid.randomUuid();
        ids.put("orders", old);
        ids.put("audit", Uuid.randomUuid());
        watch.check(Set.of(ORDERS_0, ORDERS_1, AUDIT_0));
        watch.check(Set.of(ORDERS_0, ORDERS_1, AUDIT_0));
        assertThat(warnings()).isEmpty();

        ids.put("orders", recreated);
        watch.check(Set.of(ORDERS_0, ORDERS_1, AUDIT_0));
        watch.check(Set.of(ORDERS_0, ORDERS_1, AUDIT_0));

        assertThat(warnings()).singleElement().satisfies(warning -> assertThat(warning)
                .startsWith("[orders-app] Topic orders was deleted and created again")
                .contains(old.toString(), recreated.toString(), "auto.offset.reset (earliest)"));
    }

    @Test
    void aTopicRevokedWhileDeletedAndAssignedAgainWithANewIdIsReported() {
        Uuid old = Uuid.randomUuid();
        ids.put("orders", old);
        watch.check(Set.of(ORDERS_0));
        // deleted: gone from the metadata, and (classic protocol) its partitions revoked
        ids.remove("orders");
        watch.check(Set.of(AUDIT_0));
        watch.check(Set.of(ORDERS_0));
        assertThat(warnings()).isEmpty();

        ids.put("orders", Uuid.randomUuid());
        watch.check(Set.of(ORDERS_0));

        assertThat(warnings()).singleElement().satisfies(warning -> assertThat(warning).contains("Topic orders", old.toString()));
    }

    @Test
    void anIdNotKnownYetIsNoChange() {
        ids.put("orders", Uuid.ZERO_UUID);
        watch.check(Set.of(ORDERS_0));
        ids.put("orders", Uuid.randomUuid());
        watch.check(Set.of(ORDERS_0));
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aConsumerWhoseMetadataCannotBeReadReportsNothingAndSaysSoOnce() {
        TopicIdWatch blind = new TopicIdWatch(new MockConsumer<String, String>("earliest"), "mock", "earliest");
        blind.check(Set.of(ORDERS_0));
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).contains("[mock] Cannot read the topic ids");
        });
    }
}
