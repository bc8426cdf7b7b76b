package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.spring.RecordHandler;

/**
 * The container bean's lifecycle read from the core container's own state: NEW before its first start,
 * running from its start (joining included) to the end of its stop, a new container on a start after a stop.
 * The broker is unreachable: nothing here needs one.
 */
class ConsumerContainerLifecycleTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withUserConfiguration(OrdersHandler.class)
        .withPropertyValues("kafka.consumer.auto-startup=false", "kafka.consumer.bootstrap-servers=127.0.0.1:1",
                "kafka.consumer.group-id=app", "kafka.consumer.shutdown-timeout=1s");

    @Test
    void aContainerNeverStartedIsNewAndNotRunningAndItsStopDoesNothing() {
        this.contextRunner.run((context) -> {
            ConsumerContainerLifecycle orders = context.getBean(ConsumerContainerRegistry.class).get("orders");
            assertThat(orders.state()).isEqualTo(ContainerState.NEW);
            assertThat(orders.snapshot().state()).isEqualTo(ContainerState.NEW);
            assertThat(orders.isRunning()).isFalse();
            orders.stop();
            assertThat(orders.container()).isEmpty();
            assertThatIllegalStateException().isThrownBy(orders::pause).withMessage("Cannot pause container 'orders': it is NEW");
        });
    }

    @Test
    void aStartedContainerRunsWhileJoiningUntilItsStopAndAStartAfterTheStopBuildsANewOne() {
        this.contextRunner.run((context) -> {
            ConsumerContainerLifecycle orders = context.getBean(ConsumerContainerRegistry.class).get("orders");

            orders.start();
            ConsumerContainer<?, ?> first = orders.container().orElseThrow();
            assertThat(orders.state()).isEqualTo(ContainerState.STARTING);
            assertThat(orders.isRunning()).isTrue();
            orders.start();
            assertThat(orders.container()).as("a running container is not started again").containsSame(first);
            orders.pause();
            orders.resume();

            orders.stop();
            assertThat(orders.state()).isEqualTo(ContainerState.STOPPED);
            assertThat(orders.isRunning()).isFalse();
            assertThatIllegalStateException().isThrownBy(orders::resume).withMessage("Cannot resume container 'orders': it is STOPPED");

            orders.start();
            assertThat(orders.container()).get().isNotSameAs(first);
            assertThat(orders.isRunning()).isTrue();
            orders.destroy();
            assertThat(orders.state()).isEqualTo(ContainerState.STOPPED);
        });
    }

    static class OrdersHandler {

        @RecordHandler(id = "orders", topics = "orders")
        void onOrder(String value) {
        }

    }

}
