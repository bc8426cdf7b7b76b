package dev.kafkaconsumer.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumersHealthContributorAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaLagEndpointAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaLagEndpoint.ContainerLagDescriptor;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaLagEndpoint.PartitionLagDescriptor;
import dev.kafkaconsumer.spring.actuate.health.KafkaConsumersHealthContributor;
import dev.kafkaconsumer.spring.actuate.lag.LagSampler;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * The {@code kafkalag} endpoint on the in-process broker, right after the assignment: the lag in records
 * from the live snapshot, before the lag tracker has sampled anything; the health's lag detail likewise.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaLagEndpointTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void answersTheLagOfEveryAssignedPartitionBeforeTheFirstSampleWithTimeLagAndStatusUnknown(KafkaBroker kafka) {
        String topic = "fresh-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        kafka.send(new StringSerializer(), new StringSerializer(),
                IntStream.range(0, 10).mapToObj((i) -> new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i)).toList());
        Blocked handler = new Blocked();
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, EndpointAutoConfiguration.class,
                    LagTrackerAutoConfiguration.class, KafkaLagEndpointAutoConfiguration.class,
                    KafkaConsumersHealthContributorAutoConfiguration.class))
            .withBean(Blocked.class, () -> handler)
            .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=fresh-" + UUID.randomUUID(), "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.commit-interval=100ms", "test.topic=" + topic,
                    // one sample when the application starts, before any assignment, and none after
                    "kafka.consumer.lag.sample-interval=1h", "management.endpoints.web.exposure.include=*")
            .run((context) -> {
                try {
                    ConsumerContainerRegistry containers = context.getBean(ConsumerContainerRegistry.class);
                    // the handler holds the first record of one partition; offset 0 of both is committed
                    await().atMost(WAIT).until(() -> containers.get("fresh").snapshot().partitions().size() == 2
                            && containers.get("fresh").snapshot().partitions().stream()
                                .allMatch((partition) -> partition.lag().isPresent()));
                    long live = containers.get("fresh").snapshot().partitions().stream()
                        .mapToLong((PartitionSnapshot partition) -> partition.lag().getAsLong()).sum();

                    ContainerLagDescriptor lag = context.getBean(KafkaLagEndpoint.class).containerLag("fresh");

                    assertThat(context.getBean(LagTracker.class).partitions("fresh")).as("not sampled yet").isEmpty();
                    assertThat(lag).isInstanceOf(OperationResponseBody.class);
                    assertThat(lag.state()).isEqualTo("RUNNING");
                    assertThat(lag.lag()).isEqualTo(live).isPositive();
                    assertThat(lag.timeLagMillis()).isNull();
                    assertThat(lag.status()).isNull();
                    assertThat(lag.topics()).containsOnlyKeys(topic);
                    assertThat(lag.topics().get(topic).lag()).isEqualTo(live);
                    assertThat(lag.topics().get(topic).status()).isNull();
                    assertThat(lag.topics().get(topic).partitions()).containsOnlyKeys("0", "1")
                        .allSatisfy((partition, described) -> assertUnsampled(described));
                    assertThat(context.getBean(KafkaLagEndpoint.class).lag().containers()).containsOnlyKeys("fresh");
                    HealthIndicator health = (HealthIndicator) context.getBean(KafkaConsumersHealthContributor.class)
                        .getContributor("fresh");
                    assertThat(health.health().getDetails()).as("the health's lag is live too").containsEntry("lag", live);

                    // the first sample brings the status and the time lag
                    context.getBean(LagSampler.class).sampleNow();
                    ContainerLagDescriptor sampled = context.getBean(KafkaLagEndpoint.class).containerLag("fresh");
                    assertThat(sampled.status()).isEqualTo("OK");
                    assertThat(sampled.topics().get(topic).partitions().values())
                        .allSatisfy((partition) -> assertThat(partition.samples()).isOne());
                }
                finally {
                    handler.release.countDown();
                }
            });
    }

    private static void assertUnsampled(PartitionLagDescriptor partition) {
        assertThat(partition.lag()).isNotNull();
        assertThat(partition.committed()).isNotNull();
        assertThat(partition.endOffset()).isEqualTo(partition.committed() + partition.lag());
        assertThat(partition.timeLagMillis()).isNull();
        assertThat(partition.status()).isNull();
        assertThat(partition.samples()).isZero();
    }

    static class Blocked {

        final CountDownLatch release = new CountDownLatch(1);

        @RecordHandler(id = "fresh", topics = "${test.topic}")
        void handle(String value) throws InterruptedException {
            this.release.await();
        }

    }

}
