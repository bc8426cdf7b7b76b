package dev.kafkaconsumer.spring.autoconfigure;

import dev.kafkaconsumer.core.ShareConsumerContainer;

/**
 * Customizes each share container's builder (a {@code @RecordHandler} with a share group) after
 * {@code kafka.consumer.*} was applied and before the container is built: the share-group counterpart of
 * {@link ContainerCustomizer}, which only consumer-group containers get. Beans of this type are applied in their
 * order ({@code @Order}, {@code Ordered}).
 */
@FunctionalInterface
public interface ShareContainerCustomizer {

    /**
     * Customizes one share container.
     *
     * @param id      the container id
     * @param builder the builder, handler and subscription already set
     */
    void customize(String id, ShareConsumerContainer.Builder<?, ?> builder);

}
