package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * Two containers started with the same {@code group.instance.id}: one of them is fenced (under the classic
 * protocol the older, replaced by the newer; under the consumer protocol the newer, refused while the older
 * holds the id). A fenced container must not keep polling (under classic it would take the id back and fence
 * the other in turn), so it stops in FAILED with a reason that names the fencing.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerContainerStaticMemberTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSecondMemberWithTheSameInstanceIdFencesOneOfThemWhichFailsNamingTheFencingWhileTheOtherKeepsRunning(String protocol,
            KafkaBroker kafka) {
        String topic = Engines.unique("c-static");
        kafka.createTopic(topic, 2);
        String group = Engines.unique("c-static");
        String instance = Engines.unique("instance");
        try (ConsumerContainer<String, String> first = member(kafka, "first", topic, group, protocol, instance);
                ConsumerContainer<String, String> second = member(kafka, "second", topic, group, protocol, instance)) {
            first.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.snapshot().partitions().size() == 2);
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.state() == ContainerState.FAILED
                    || second.state() == ContainerState.FAILED);
            ConsumerContainer<String, String> fenced = first.state() == ContainerState.FAILED ? first : second;
            ConsumerContainer<String, String> survivor = fenced == first ? second : first;
            assertThat(fenced).as("the fenced one under " + protocol).isSameAs(protocol.equals("classic") ? first : second);
            assertThat(fenced.snapshot().failure()).hasValueSatisfying(reason -> assertThat(reason).contains("fenced", "group.instance.id " + instance));
            // the fenced container polls no more, so the id stays with the survivor
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> survivor.state() == ContainerState.RUNNING && survivor.snapshot().partitions().size() == 2);
        }
    }

    private static ConsumerContainer<String, String> member(KafkaBroker kafka, String name, String topic, String group,
            String protocol, String instance) {
        return Containers.builder(kafka, name, topic, group, protocol)
                .property(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance)
                .topics(List.of(topic))
                .handler(record -> { })
                .build();
    }
}
