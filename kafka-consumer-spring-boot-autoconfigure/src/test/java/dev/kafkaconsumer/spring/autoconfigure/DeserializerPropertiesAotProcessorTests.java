package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.javapoet.ClassName;

class DeserializerPropertiesAotProcessorTests {

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    @Test
    void registersTheConstructorsOfTheDeserializersThatThePropertiesName() throws Exception {
        RuntimeHints hints = process("kafka.consumer.value-deserializer=" + OrderDeserializer.class.getName(),
                "kafka.consumer.containers.audit.key-deserializer=" + AuditKeyDeserializer.class.getName(),
                "kafka.consumer.containers.audit.valueDeserializer=" + AuditValueDeserializer.class.getName());
        assertThat(this.reflection.onConstructorInvocation(OrderDeserializer.class.getConstructor())).accepts(hints);
        assertThat(this.reflection.onConstructorInvocation(AuditKeyDeserializer.class.getConstructor())).accepts(hints);
        assertThat(this.reflection.onConstructorInvocation(AuditValueDeserializer.class.getConstructor())).accepts(hints);
    }

    @Test
    void contributesNothingWhenNoPropertyNamesADeserializer() {
        assertThat(processor().processAheadOfTime(beanFactory("kafka.consumer.group-id=orders",
                "kafka.consumer.containers.audit.concurrency=4"))).isNull();
    }

    @Test
    void skipsAClassThatIsNotThereAndAPlaceholderThatOnlyTheRuntimeResolves() throws Exception {
        RuntimeHints hints = process("kafka.consumer.key-deserializer=com.example.Missing",
                "kafka.consumer.value-deserializer=${ORDERS_DESERIALIZER}",
                "kafka.consumer.containers.audit.value-deserializer=" + OrderDeserializer.class.getName());
        assertThat(this.reflection.onConstructorInvocation(OrderDeserializer.class.getConstructor())).accepts(hints);
    }

    private RuntimeHints process(String... properties) {
        BeanFactoryInitializationAotContribution contribution = processor().processAheadOfTime(beanFactory(properties));
        assertThat(contribution).isNotNull();
        GenerationContext generationContext = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
        contribution.applyTo(generationContext, null);
        return generationContext.getRuntimeHints();
    }

    private static DeserializerPropertiesAotProcessor processor() {
        return new DeserializerPropertiesAotProcessor();
    }

    private static DefaultListableBeanFactory beanFactory(String... properties) {
        StandardEnvironment environment = new StandardEnvironment();
        TestPropertyValues.of(properties).applyTo(environment);
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerSingleton(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME, environment);
        return beanFactory;
    }

    public static class OrderDeserializer implements Deserializer<String> {

        @Override
        public String deserialize(String topic, byte[] data) {
            return new String(data);
        }

    }

    public static class AuditKeyDeserializer extends OrderDeserializer {

    }

    public static class AuditValueDeserializer extends OrderDeserializer {

    }

}
