package dev.kafkaconsumer.spring.autoconfigure;

import dev.kafkaconsumer.core.ConsumerContainer;

/**
 * Customizes each container's builder after {@code kafka.consumer.*} was applied and before the container
 * is built. Beans of this type are applied in their order ({@code @Order}, {@code Ordered}).
 */
@FunctionalInterface
public interface ContainerCustomizer {

    /**
     * Customizes one container.
     *
     * @param id      the container id
     * @param builder the builder, handler and subscription already set
     */
    void customize(String id, ConsumerContainer.Builder<?, ?> builder);

}
