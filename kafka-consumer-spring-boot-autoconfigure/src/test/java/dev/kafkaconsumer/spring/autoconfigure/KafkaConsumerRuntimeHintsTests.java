package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

class KafkaConsumerRuntimeHintsTests {

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    private final RuntimeHints hints = new RuntimeHints();

    KafkaConsumerRuntimeHintsTests() {
        new KafkaConsumerRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void registersTheConstructorsOfTheDefaultDeserializers() throws Exception {
        ContainerOptions defaults = ConsumerContainerFactory.defaults(new StandardEnvironment());
        assertThat(this.reflection.onConstructorInvocation(defaults.getKeyDeserializer().getConstructor())).accepts(this.hints);
        assertThat(this.reflection.onConstructorInvocation(defaults.getValueDeserializer().getConstructor())).accepts(this.hints);
        assertThat(this.reflection.onConstructorInvocation(ByteArrayDeserializer.class.getConstructor())).accepts(this.hints);
    }

    /** Found in the kafka-clients jar, so that a release with a new deserializer fails here until it is added. */
    @Test
    void registersTheConstructorsOfEveryDeserializerOfKafkaClients() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(Deserializer.class));
        List<Constructor<?>> constructors = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(Deserializer.class.getPackageName())) {
            Constructor<?> constructor = ClassUtils.getConstructorIfAvailable(Class.forName(candidate.getBeanClassName()));
            if (constructor != null) {
                constructors.add(constructor);
            }
        }
        assertThat(constructors).hasSizeGreaterThanOrEqualTo(13);
        for (Constructor<?> constructor : constructors) {
            assertThat(this.reflection.onConstructorInvocation(constructor)).as(constructor.getName()).accepts(this.hints);
        }
    }

    /** The fields that the engine's EndOffsetsProbe reads, found on real consumers. */
    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void registersTheConsumerFieldsThatTheEngineReadsUnderBothGroupProtocols(String protocol) throws Exception {
        // never connects: the address is closed, and nothing here needs the broker
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:1", ConsumerConfig.GROUP_ID_CONFIG, "hints", ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            Field delegate = ReflectionUtils.findField(KafkaConsumer.class, "delegate");
            assertThat(delegate).isNotNull();
            assertThat(this.reflection.onFieldAccess(delegate)).accepts(this.hints);
            ReflectionUtils.makeAccessible(delegate);
            Class<?> delegateClass = delegate.get(consumer).getClass();
            assertThat(this.reflection.onFieldAccess(delegateClass, "subscriptions")).as(delegateClass.getName())
                .accepts(this.hints);
        }
        finally {
            // at once: leaving a group it never joined would wait for the unreachable coordinator
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

}
