package dev.kafkaconsumer.spring.autoconfigure;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;

/**
 * Chooses the {@link ConsumerRebalanceListener} beans of a container: every unqualified one, and those
 * whose {@link Qualifier} is the container id, in bean order.
 */
final class RebalanceListeners {

    private final ConfigurableListableBeanFactory beanFactory;

    private final ObjectProvider<ConsumerRebalanceListener> listeners;

    RebalanceListeners(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        this.listeners = beanFactory.getBeanProvider(ConsumerRebalanceListener.class);
    }

    List<ConsumerRebalanceListener> forContainer(String id) {
        Map<ConsumerRebalanceListener, String> names = new IdentityHashMap<>();
        this.beanFactory.getBeansOfType(ConsumerRebalanceListener.class).forEach((name, bean) -> names.put(bean, name));
        return this.listeners.orderedStream().filter((listener) -> {
            String qualifier = qualifier(names.get(listener));
            return qualifier == null || qualifier.equals(id);
        }).toList();
    }

    private @Nullable String qualifier(@Nullable String beanName) {
        if (beanName == null) {
            return null;
        }
        Qualifier annotation = this.beanFactory.findAnnotationOnBean(beanName, Qualifier.class);
        if (annotation != null) {
            return annotation.value();
        }
        if (this.beanFactory.containsBeanDefinition(beanName)
                && this.beanFactory.getBeanDefinition(beanName) instanceof AbstractBeanDefinition definition) {
            AutowireCandidateQualifier declared = definition.getQualifier(Qualifier.class.getName());
            if (declared != null) {
                return String.valueOf(declared.getAttribute(AutowireCandidateQualifier.VALUE_KEY));
            }
        }
        return null;
    }

}
