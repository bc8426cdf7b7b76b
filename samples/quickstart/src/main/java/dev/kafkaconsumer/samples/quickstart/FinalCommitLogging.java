package dev.kafkaconsumer.samples.quickstart;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Logs, when a container stops, the offsets its last commits left on the broker: where a restart resumes.
 * The container commits on stop by itself; this only makes that final commit visible.
 */
@Component
final class FinalCommitLogging implements ContainerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(FinalCommitLogging.class);

    @Override
    public void customize(String id, ConsumerContainer.Builder<?, ?> builder) {
        builder.listener(new Listener());
    }

    private static final class Listener implements ContainerListener {

        private final Map<String, Long> committed = new ConcurrentSkipListMap<>();

        private volatile ConsumerContainer<?, ?> owner;

        @Override
        public void started(ConsumerContainer<?, ?> container) {
            owner = container;
        }

        @Override
        public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
            if (failure == null) {
                offsets.forEach((partition, offset) -> committed.put(partition.toString(), offset.offset()));
            }
        }

        @Override
        public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
            // Partitions taken by a rebalance are committed by their next owner from now on. Those revoked because
            // this container stops keep their entry: it is the final commit.
            ConsumerContainer<?, ?> current = owner;
            if (current == null || current.state() != ContainerState.STOPPING) {
                partitions.forEach(partition -> committed.remove(partition.toString()));
            }
        }

        @Override
        public void stopped(ConsumerContainer<?, ?> container) {
            log.info("Container {} final commit: {}", container.name(), committed.isEmpty() ? "nothing committed"
                    : committed.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(", ")));
        }
    }
}
