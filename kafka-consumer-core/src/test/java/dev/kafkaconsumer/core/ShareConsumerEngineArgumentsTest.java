package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the share engine refuses, and says why, without a broker: the consumer is created but never reaches one
 * (its bootstrap address has nobody listening, and nothing here polls).
 */
class ShareConsumerEngineArgumentsTest {

    private final ShareConsumerEngine<String, String> engine = builder().build();

    private static ShareConsumerEngine.Builder<String, String> builder() {
        return ShareConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:9")
                .groupId("workers");
    }

    @AfterEach
    void stop() {
        engine.stop(Duration.ofSeconds(1));
    }

    @Test
    void theBuilderRefusesWhatAShareConsumerCannotHonour() {
        assertThatNullPointerException().isThrownBy(() -> ShareConsumerEngine.builder(null, new StringDeserializer()));
        assertThatThrownBy(() -> ShareConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .groupId("workers").build()).isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers is not set");
        assertThatThrownBy(() -> ShareConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:9").build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("group.id is not set");
        assertThatThrownBy(() -> builder().property("auto.offset.reset", "earliest").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("share.auto.offset.reset");
        assertThatThrownBy(() -> builder().property("share.acknowledgement.mode", "implicit").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("share.acknowledgement.mode=implicit is not supported");
        assertThatThrownBy(() -> builder().maxLockRenewal(Duration.ZERO).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxLockRenewal must be positive");
        assertThatThrownBy(() -> builder().acknowledgementInterval(Duration.ofMillis(-1)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("acknowledgementInterval must not be negative");
        assertThatThrownBy(() -> builder().property("session.timeout.ms", 1000).build())
                .as("kafka-clients refuses what a share group does not use").isInstanceOf(ConfigException.class)
                .hasMessageContaining("session.timeout.ms");
    }

    @Test
    void explicitModeMayBeGivenAndTheClientIdNamesTheGroup() {
        try (ShareConsumerEngine<String, String> explicit = builder().property("share.acknowledgement.mode", "explicit").build()) {
            assertThat(explicit.clientId()).startsWith("kafka-consumer-share-workers-");
            assertThat(explicit.groupId()).isEqualTo("workers");
        }
        try (ShareConsumerEngine<String, String> named = builder().property("client.id", "mine").build()) {
            assertThat(named.clientId()).isEqualTo("mine");
        }
    }

    @Test
    void topicsMustBeNamed() {
        assertThatNullPointerException().isThrownBy(() -> engine.subscribe(null));
        assertThatIllegalArgumentException().isThrownBy(() -> engine.subscribe(Arrays.asList("a", null)))
                .withMessageContaining("must not be null or blank");
        assertThatIllegalArgumentException().isThrownBy(() -> engine.subscribe(List.of(" ")));
        assertThat(engine.subscription()).isEmpty();
    }

    @Test
    void countsAndTimeoutsAreChecked() {
        engine.start();
        assertThatIllegalArgumentException().isThrownBy(() -> engine.getMany(Duration.ZERO, 0))
                .withMessage("maxRecords must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> engine.getManyAsync(Duration.ZERO, -1));
        assertThatIllegalArgumentException().isThrownBy(() -> engine.getMany(Duration.ofMillis(-1), 1))
                .withMessageContaining("timeout must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> engine.getOne(Duration.ofMillis(-1)));
        assertThatNullPointerException().isThrownBy(() -> engine.getOne(null));
        assertThatIllegalArgumentException().isThrownBy(() -> engine.stop(Duration.ofMillis(-1)));
    }

    @Test
    void recordsAreTakenOnlyFromAStartedEngine() {
        // bounded: an engine that waited here would wait for ever, nobody polling for it
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatIllegalStateException().isThrownBy(engine::getOne)
                .withMessageContaining("call start() first"));
        assertThatIllegalStateException().isThrownBy(() -> engine.getMany(Duration.ZERO, 1));
        assertThat(engine.isRunning()).isFalse();
        engine.start();
        assertThat(engine.isRunning()).isTrue();
        assertThatIllegalStateException().isThrownBy(engine::start).withMessageContaining("already started");
        assertThat(engine.getMany(Duration.ZERO, 1)).as("not subscribed: nothing comes").isEmpty();
    }

    @Test
    void aStoppedEngineRefusesEverythingButStop() {
        engine.subscribe(List.of("orders"));
        engine.start();
        engine.stop(Duration.ofSeconds(1));
        assertThat(engine.isRunning()).isFalse();
        assertThatThrownBy(engine::start).isInstanceOf(ConsumerStoppedException.class).hasMessageContaining("create a new one");
        assertThatThrownBy(() -> engine.getMany(Duration.ZERO, 1)).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> engine.getManyAsync(Duration.ZERO, 1)).isInstanceOf(ConsumerStoppedException.class);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(engine::getOne).isInstanceOf(ConsumerStoppedException.class));
        assertThatThrownBy(() -> engine.subscribe(List.of("other"))).isInstanceOf(ConsumerStoppedException.class);
        engine.stop(Duration.ofSeconds(1));
    }

    @Test
    void theSubscriptionIsAppliedAtStartAndChangedAfter() {
        engine.subscribe(List.of("orders", "payments"));
        assertThat(engine.subscription()).containsExactlyInAnyOrder("orders", "payments");
        engine.start();
        engine.subscribe(List.of("refunds"));
        assertThat(engine.subscription()).containsExactly("refunds");
        engine.unsubscribe();
        assertThat(engine.subscription()).isEmpty();
        engine.subscribe(List.of("orders"));
        engine.subscribe(List.of());
        assertThat(engine.subscription()).isEmpty();
    }

    @Test
    void aFreshSnapshotCountsNothingAndNamesEveryType() {
        engine.subscribe(List.of("orders"));
        ShareEngineSnapshot snapshot = engine.snapshot();
        assertThat(snapshot.groupId()).isEqualTo("workers");
        assertThat(snapshot.subscription()).containsExactly("orders");
        assertThat(snapshot.acquired()).isZero();
        assertThat(snapshot.handedOut()).isZero();
        assertThat(snapshot.acknowledgements()).containsOnlyKeys(AcknowledgeType.values()).allSatisfy((type, count) ->
                assertThat(count).isZero());
        assertThat(snapshot.deliveryCounts()).isEmpty();
        assertThat(snapshot.acquisitionLockTimeout()).isEmpty();
        assertThat(engine.acquisitionLockTimeout()).isEmpty();
        assertThat(engine.metrics()).isNotEmpty();
    }

    @Test
    void aSnapshotFillsInMissingTypesAndOrdersDeliveryCounts() {
        ShareEngineSnapshot snapshot = new ShareEngineSnapshot("g", Set.of("t"), 3, 1, Map.of(AcknowledgeType.ACCEPT, 2L), 0, 0,
                Map.of(3, 1L, 1, 5L, 2, 2L), java.util.Optional.empty());
        assertThat(snapshot.acknowledgements()).containsExactly(Map.entry(AcknowledgeType.ACCEPT, 2L),
                Map.entry(AcknowledgeType.RELEASE, 0L), Map.entry(AcknowledgeType.REJECT, 0L), Map.entry(AcknowledgeType.RENEW, 0L));
        assertThat(snapshot.deliveryCounts()).containsExactly(Map.entry(1, 5L), Map.entry(2, 2L), Map.entry(3, 1L));
    }
}
