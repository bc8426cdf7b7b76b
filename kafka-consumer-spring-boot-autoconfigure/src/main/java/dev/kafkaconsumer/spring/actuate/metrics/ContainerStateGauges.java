package dev.kafkaconsumer.spring.actuate.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.kafkaconsumer.core.ContainerState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gauge {@code kafka.consumer.container.state} (container, state): for each container, one gauge per
 * {@link ContainerState}, 1 for its current state and 0 for the others ({@code state} in lower case: {@code new},
 * {@code starting}, {@code running}, {@code paused}, {@code stopping}, {@code stopped}, {@code failed}). The gauges
 * read the state when scraped and stay while the application runs, so that a container that failed shows
 * {@code failed} until it is started again: what an alert on failed containers needs, and what the listener-fed
 * meters, which end with the container, cannot show.
 */
public final class ContainerStateGauges implements MeterBinder {

    private final Supplier<Map<String, Supplier<ContainerState>>> containers;

    /**
     * Creates the gauges of the containers the supplier names when they are bound.
     *
     * @param containers the state of each container, by container id; asked once, when bound, so that the
     *                   containers may be created after this
     */
    public ContainerStateGauges(Supplier<Map<String, Supplier<ContainerState>>> containers) {
        this.containers = containers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        containers.get().forEach((container, state) -> {
            for (ContainerState candidate : ContainerState.values()) {
                Gauge.builder("kafka.consumer.container.state", state, current -> current.get() == candidate ? 1 : 0)
                        .description("1 for the container's current state, 0 for the others")
                        .strongReference(true)
                        .tags("container", container, "state", candidate.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
        });
    }
}
