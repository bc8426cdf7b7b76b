package dev.kafkaconsumer.spring.autoconfigure;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;

import dev.kafkaconsumer.core.Recoverer;

/**
 * Chooses the beans that apply to a container: of each kind, every unqualified one, and those whose
 * {@link Qualifier} is the container id, in bean order. Rebalance listeners all apply; of the
 * {@link Recoverer} beans, one: the container's own if it has one, else the one for all containers.
 */
final class ContainerBeans {

    private final ConfigurableListableBeanFactory beanFactory;

    ContainerBeans(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * Returns the container's rebalance listener beans.
     *
     * @param id the container id
     * @return every unqualified listener and those qualified with the id
     */
    List<ConsumerRebalanceListener> rebalanceListeners(String id) {
        return forContainer(ConsumerRebalanceListener.class, id, false);
    }

    /**
     * Returns the container's recoverer bean: the one qualified with its id, else the one unqualified.
     *
     * @param id the container id
     * @return the recoverer, or {@code null} when no bean applies
     * @throws IllegalStateException when two beans apply equally
     */
    @SuppressWarnings("unchecked")
    @Nullable Recoverer<Object, Object> recoverer(String id) {
        List<Recoverer> own = forContainer(Recoverer.class, id, true);
        List<Recoverer> candidates = own.isEmpty() ? forContainer(Recoverer.class, id, false) : own;
        if (candidates.size() > 1) {
            throw new IllegalStateException("Container " + id + " has " + candidates.size() + " Recoverer beans that apply "
                    + (own.isEmpty() ? "to every container" : "to it alone") + "; keep one, or give each a @Qualifier "
                    + "naming its container");
        }
        return candidates.isEmpty() ? null : (Recoverer<Object, Object>) candidates.get(0);
    }

    private <T> List<T> forContainer(Class<T> type, String id, boolean qualifiedOnly) {
        Map<T, String> names = new IdentityHashMap<>();
        this.beanFactory.getBeansOfType(type).forEach((name, bean) -> names.put(bean, name));
        return this.beanFactory.getBeanProvider(type).orderedStream().filter((bean) -> {
            String qualifier = qualifier(names.get(bean));
            return qualifiedOnly ? id.equals(qualifier) : (qualifier == null || qualifier.equals(id));
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
