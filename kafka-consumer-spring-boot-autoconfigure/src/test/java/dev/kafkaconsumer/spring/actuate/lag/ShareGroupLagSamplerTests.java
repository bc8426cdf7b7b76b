package dev.kafkaconsumer.spring.actuate.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;

/**
 * When the {@link ShareGroupLagSampler} asks the broker, without one: never for a share container that does not
 * run, and not at all in an application without share containers.
 */
class ShareGroupLagSamplerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.bootstrap-servers=localhost:9092", "kafka.consumer.auto-startup=false");

    @Test
    void asksNothingForShareContainersThatDoNotRun() {
        this.contextRunner.withUserConfiguration(JobsHandler.class).run((context) -> {
            ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
            ShareGroupLagSampler sampler = new ShareGroupLagSampler(registry::shareContainers, Duration.ofSeconds(1),
                    (properties) -> {
                        throw new AssertionError("no admin client without a running share container");
                    }, Clock.systemUTC());
            sampler.sampleNow();
            assertThat(sampler.lag("workers")).isEmpty();
            assertThat(sampler.groups()).isEmpty();
        });
    }

    @Test
    void startsNoThreadWithoutShareContainersAndRefusesANonPositiveInterval() {
        ShareGroupLagSampler sampler = new ShareGroupLagSampler(List::of, Duration.ofSeconds(1));
        sampler.start();
        assertThat(sampler.isRunning()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new ShareGroupLagSampler(List::of, Duration.ZERO))
            .withMessageContaining("kafka.consumer.lag.sample-interval");
    }

    static class JobsHandler {

        @RecordHandler(id = "jobs", topics = "jobs", shareGroup = "workers")
        void onJob(String job) {
        }

    }

}
