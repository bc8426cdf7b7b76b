package dev.kafkaconsumer.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link InProcessKafka} on a test class (or its enclosing and super classes) and gives its context
 * an {@link InProcessKafkaContextCustomizer}. Listed in {@code META-INF/spring.factories}.
 */
class InProcessKafkaContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        InProcessKafka annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, InProcessKafka.class);
        return (annotation != null) ? new InProcessKafkaContextCustomizer(annotation) : null;
    }

}
