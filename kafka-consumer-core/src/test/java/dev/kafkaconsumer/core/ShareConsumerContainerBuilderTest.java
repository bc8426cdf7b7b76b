package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What a share container's builder refuses, and what it defaults to; no broker. */
class ShareConsumerContainerBuilderTest {

    private static ShareConsumerContainer.Builder<String, String> builder() {
        return ShareConsumerContainer.builder("work", new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:9").groupId("workers").topics(List.of("jobs"));
    }

    @Test
    void aCompleteBuilderBuildsAContainerThatIsNew() {
        ShareConsumerContainer<String, String> container = builder().handler(record -> { }).build();

        assertThat(container.name()).isEqualTo("work");
        assertThat(container.state()).isEqualTo(ContainerState.NEW);
        assertThat(container.isRunning()).isFalse();
        ShareContainerSnapshot snapshot = container.snapshot();
        assertThat(snapshot.groupId()).isEqualTo("workers");
        assertThat(snapshot.subscription()).containsExactly("jobs");
        assertThat(snapshot.inFlight()).isZero();
        container.stop();
        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
    }

    @Test
    void theDefaultDeliveryLimitIsTheBrokersDefault() {
        assertThat(ShareConsumerContainer.DEFAULT_MAX_DELIVERIES).isEqualTo(5);
        assertThat(ShareConsumerContainer.DEFAULT_CONCURRENCY).isEqualTo(ConsumerContainer.DEFAULT_CONCURRENCY);
        assertThat(ShareConsumerContainer.DEFAULT_CONSUMERS).isEqualTo(1);
    }

    @Test
    void moreConsumersThanTheConcurrencyAreRefusedWithWhy() {
        assertThatIllegalStateException().isThrownBy(() -> builder().handler(record -> { }).concurrency(2).consumers(3).build())
                .withMessageStartingWith("Share container work has 3 consumers for a concurrency of 2: a consumer may poll again "
                        + "only once every record of its last poll is acknowledged");
    }

    @Test
    void aDeliveryLimitBelowOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder().maxDeliveries(0))
                .withMessage("maxDeliveries must be at least 1, was 0");
    }

    @Test
    void aContainerWithoutAHandlerIsRefusedWithWhatToCall() {
        assertThatIllegalStateException().isThrownBy(() -> builder().build())
                .withMessage("Share container work has no handler; call handler(...), processor(...) or shareHandler(...)");
    }

    @Test
    void aContainerWithoutTopicsIsRefused() {
        ShareConsumerContainer.Builder<String, String> noTopics = ShareConsumerContainer.builder("work", new StringDeserializer(),
                new StringDeserializer()).groupId("workers").handler(record -> { });
        assertThatIllegalStateException().isThrownBy(noTopics::build).withMessage("Share container work has no topics; call topics(...)");
        assertThatIllegalStateException().isThrownBy(() -> noTopics.topics(List.of()).build())
                .withMessage("Share container work has no topics; call topics(...)");
    }

    @Test
    void aContainerWithoutAShareGroupIsRefused() {
        assertThatIllegalStateException().isThrownBy(() -> ShareConsumerContainer.builder("work", new StringDeserializer(),
                new StringDeserializer()).topics(List.of("jobs")).handler(record -> { }).build())
                .withMessage("Share container work needs a share group; set groupId(...)");
    }

    @Test
    void theRecovererThatStopsAContainerIsRefusedBecauseASharedRecordHasNoPositionToStopAt() {
        assertThatIllegalStateException().isThrownBy(() -> builder().handler(record -> { })
                .recoverer(Recoverers.stopContainer()).build()).withMessageContaining("cannot use Recoverers.stopContainer()");
    }

    @Test
    void badNumbersAndDurationsAreRefusedWithTheirName() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder().concurrency(0)).withMessageContaining("concurrency");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().consumers(0))
                .withMessage("consumers must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().maxInFlight(0)).withMessageContaining("maxInFlight");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().processingTimeout(Duration.ZERO))
                .withMessageContaining("processingTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().maxLockRenewal(Duration.ofSeconds(-1)))
                .withMessageContaining("maxLockRenewal");
        assertThatIllegalArgumentException().isThrownBy(() -> ShareConsumerContainer.builder(" ", new StringDeserializer(),
                new StringDeserializer())).withMessage("A container needs a name");
    }

    @Test
    void nullsAreRefusedWithTheirName() {
        assertThatNullPointerException().isThrownBy(() -> builder().shareHandler(null)).withMessage("handler");
        assertThatNullPointerException().isThrownBy(() -> builder().recoverer(null)).withMessage("taker");
        assertThatNullPointerException().isThrownBy(() -> builder().topics(null)).withMessage("names");
        assertThatNullPointerException().isThrownBy(() -> ShareConsumerContainer.builder("work", null, new StringDeserializer()))
                .withMessage("keyDeserializer");
    }
}
