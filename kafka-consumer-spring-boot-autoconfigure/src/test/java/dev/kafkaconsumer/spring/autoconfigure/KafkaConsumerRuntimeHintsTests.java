package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.util.ReflectionUtils;

class KafkaConsumerRuntimeHintsTests {

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    private final RuntimeHints hints = new RuntimeHints();

    KafkaConsumerRuntimeHintsTests() {
        new KafkaConsumerRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void registersTheConstructorsOfTheDefaultDeserializers() throws Exception {
        KafkaConsumerProperties defaults = new KafkaConsumerProperties();
        assertThat(this.reflection.onConstructorInvocation(defaults.getKeyDeserializer().getConstructor())).accepts(this.hints);
        assertThat(this.reflection.onConstructorInvocation(defaults.getValueDeserializer().getConstructor())).accepts(this.hints);
        assertThat(this.reflection.onConstructorInvocation(ByteArrayDeserializer.class.getConstructor())).accepts(this.hints);
    }

    @Test
    void registersTheConstructorsOfEveryDeserializerOfKafkaClients() throws Exception {
        for (Class<?> deserializer : KafkaConsumerRuntimeHints.DESERIALIZERS) {
            assertThat(this.reflection.onConstructorInvocation(deserializer.getConstructor())).as(deserializer.getName())
                .accepts(this.hints);
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
