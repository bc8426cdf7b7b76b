package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The partitions of a subscription without a group: what is read, and when it is read again. */
class LocalAssignmentTest {

    private static final long NOW = 1_000_000L;
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

    @BeforeEach
    void theClusterHasTopics() {
        consumer.updatePartitions("orders-eu", List.of(info("orders-eu", 0), info("orders-eu", 1)));
        consumer.updatePartitions("orders-us", List.of(info("orders-us", 0)));
        consumer.updatePartitions("__consumer_offsets", List.of(info("__consumer_offsets", 0)));
        consumer.updatePartitions("payments", List.of(info("payments", 0)));
    }

    private static PartitionInfo info(String topic, int partition) {
        return new PartitionInfo(topic, partition, null, null, null);
    }

    private static LocalAssignment local(Subscription subscription, boolean excludeInternal) {
        return new LocalAssignment(subscription, Duration.ofSeconds(10), Duration.ofSeconds(1), excludeInternal, NOW);
    }

    @Test
    void topicsThatExistGiveAllTheirPartitionsAndATopicThatDoesNotGivesNone() {
        LocalAssignment local = local(Subscription.topics(Set.of("orders-eu", "missing"), null), true);
        assertThat(local.readPartitions(consumer)).containsExactlyInAnyOrder(
                new TopicPartition("orders-eu", 0), new TopicPartition("orders-eu", 1));
        assertThat(local.matchedTopics()).containsExactly("orders-eu");
    }

    @Test
    void aPatternMatchesTheWholeNameAndLeavesInternalTopicsOutUnlessTold() {
        LocalAssignment local = local(Subscription.pattern(Pattern.compile("orders-.*|__.*"), null), true);
        assertThat(local.matchedTopics()).as("nothing before the first read").isEmpty();
        assertThat(local.readPartitions(consumer)).extracting(TopicPartition::topic).containsOnly("orders-eu", "orders-us").hasSize(3);
        assertThat(local.matchedTopics()).containsExactlyInAnyOrder("orders-eu", "orders-us");

        LocalAssignment withInternal = local(Subscription.pattern(Pattern.compile("orders-.*|__.*"), null), false);
        assertThat(withInternal.readPartitions(consumer)).contains(new TopicPartition("__consumer_offsets", 0));

        LocalAssignment prefix = local(Subscription.pattern(Pattern.compile("orders"), null), true);
        assertThat(prefix.readPartitions(consumer)).as("a prefix is no match").isEmpty();
    }

    @Test
    void theFirstReadIsDueAtOnceAndTheNextOneARefreshIntervalAfterTheLastApplied() {
        LocalAssignment local = local(Subscription.topics(Set.of("orders-eu"), null), true);
        assertThat(local.due(NOW)).isTrue();
        assertThat(local.due(NOW - 1)).isFalse();

        assertThat(local.refreshed(NOW)).as("the first").isTrue();
        assertThat(local.due(NOW + Duration.ofSeconds(10).toNanos() - 1)).isFalse();
        assertThat(local.due(NOW + Duration.ofSeconds(10).toNanos())).isTrue();
        assertThat(local.refreshed(NOW + Duration.ofSeconds(10).toNanos())).as("not the first").isFalse();
    }

    @Test
    void aFailedReadIsTriedAgainAfterTheBackOff() {
        LocalAssignment local = local(Subscription.topics(Set.of("orders-eu"), null), true);
        local.failed(NOW, Duration.ofSeconds(1));
        assertThat(local.due(NOW + Duration.ofSeconds(1).toNanos() - 1)).isFalse();
        assertThat(local.due(NOW + Duration.ofSeconds(1).toNanos())).isTrue();
    }

    @Test
    void onlyTopicsOrAPatternAreAssignedLocally() {
        assertThatThrownBy(() -> local(Subscription.partitions(Set.of(new TopicPartition("t", 0))), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Only topics or a pattern");
        assertThatThrownBy(() -> local(Subscription.NONE, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
