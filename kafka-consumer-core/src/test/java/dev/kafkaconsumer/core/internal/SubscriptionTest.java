package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    private final TopicPartition t0 = new TopicPartition("t", 0);

    @Test
    void topicsAndPatternsAreDecidedByARebalancePartitionsAndNothingAreNot() {
        assertThat(Subscription.topics(Set.of("t"), null).byTopics()).isTrue();
        assertThat(Subscription.pattern(Pattern.compile("t.*"), null).byTopics()).isTrue();
        assertThat(Subscription.partitions(Set.of(t0)).byTopics()).isFalse();
        assertThat(Subscription.NONE.byTopics()).isFalse();
    }

    @Test
    void itKeepsItsOwnCopyOfWhatItWasGiven() {
        Set<String> topics = new HashSet<>(List.of("t"));
        Set<TopicPartition> partitions = new HashSet<>(List.of(t0));
        Subscription byTopics = Subscription.topics(topics, null);
        Subscription byHand = Subscription.partitions(partitions);
        topics.add("u");
        partitions.clear();
        assertThat(byTopics.topics()).containsExactly("t");
        assertThat(byHand.partitions()).containsExactly(t0);
        assertThat(byHand.topics()).isEmpty();
        assertThat(byTopics.partitions()).isEmpty();
    }

    @Test
    void itSaysWhatItIsForMessages() {
        assertThat(Subscription.topics(Set.of("t"), null).describe()).isEqualTo("subscribed to [t]");
        assertThat(Subscription.pattern(Pattern.compile("t.*"), null).describe()).isEqualTo("subscribed to pattern t.*");
        assertThat(Subscription.partitions(Set.of(t0)).describe()).isEqualTo("assigned [t-0]");
        assertThat(Subscription.NONE.describe()).isEqualTo("nothing");
    }
}
