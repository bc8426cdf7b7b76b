package dev.kafkaconsumer.samples.quickstart;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerListener;
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

        @Override
        public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
            if (failure == null) {
                offsets.forEach((partition, offset) -> committed.put(partition.toString(), offset.offset()));
            }
        }

        @Override
        public void stopped(ConsumerContainer<?, ?> container) {
            log.info("Container {} final commit: {}", container.name(), committed.isEmpty() ? "nothing committed"
                    : committed.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(", ")));
        }
    }
}
