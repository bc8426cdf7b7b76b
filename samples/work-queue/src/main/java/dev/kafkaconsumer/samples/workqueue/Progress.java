package dev.kafkaconsumer.samples.workqueue;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.kafkaconsumer.core.ShareContainerSnapshot;
import dev.kafkaconsumer.spring.actuate.lag.ShareGroupLag;
import dev.kafkaconsumer.spring.actuate.lag.ShareGroupLagSampler;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.spring.autoconfigure.ShareConsumerContainerLifecycle;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Logs a line every 5 seconds: the jobs each worker did, the acknowledgements the broker confirmed (summed over the
 * three share containers' snapshots, read locally), the jobs done on a redelivery, dead-lettered and done twice, and
 * the share group's lag as the broker last reported it.
 */
@Component
final class Progress implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private static final long INTERVAL_SECONDS = 5;

    private final ConsumerContainerRegistry containers;

    private final Ledger ledger;

    private final ObjectProvider<ShareGroupLagSampler> lag;

    private ScheduledExecutorService scheduler;

    Progress(ConsumerContainerRegistry containers, Ledger ledger, ObjectProvider<ShareGroupLagSampler> lag) {
        this.containers = containers;
        this.ledger = ledger;
        this.lag = lag;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "work-queue-progress");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("Uncaught exception on {}", t.getName(), e));
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::reportQuietly, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    private void reportQuietly() {
        try {
            long accepted = 0;
            long released = 0;
            long rejected = 0;
            long recovered = 0;
            String group = null;
            for (ShareConsumerContainerLifecycle container : containers.shareContainers()) {
                ShareContainerSnapshot snapshot = container.snapshot();
                accepted += snapshot.acknowledgements().getOrDefault(AcknowledgeType.ACCEPT, 0L);
                released += snapshot.acknowledgements().getOrDefault(AcknowledgeType.RELEASE, 0L);
                rejected += snapshot.acknowledgements().getOrDefault(AcknowledgeType.REJECT, 0L);
                recovered += snapshot.recovered();
                group = snapshot.groupId();
            }
            Map<String, Long> byWorker = ledger.doneByWorker();
            log.info(String.format("done %s | broker confirmed: %,d accepted, %,d released, %,d rejected | "
                            + "%,d done on a redelivery, %,d dead-lettered, %,d done twice | group lag %s",
                    byWorker.isEmpty() ? "nothing yet" : byWorker.entrySet().stream()
                            .map(e -> String.format("%s %,d", e.getKey(), e.getValue()))
                            .collect(Collectors.joining(", ")),
                    accepted, released, rejected, ledger.redelivered(), recovered, ledger.doneTwice(), groupLag(group)));
        } catch (RuntimeException e) {
            log.warn("Could not report progress: {}", e.toString());
        }
    }

    /** The broker's lag of the share group, or "unknown" while it has given none. */
    private String groupLag(String group) {
        ShareGroupLagSampler sampler = lag.getIfAvailable();
        if (sampler == null || group == null) {
            return "unknown";
        }
        return sampler.lag(group)
                .map(ShareGroupLag::partitions)
                .filter(partitions -> partitions.stream().anyMatch(partition -> partition.lag().isPresent()))
                .map(partitions -> String.valueOf(partitions.stream().map(ShareGroupLag.Partition::lag)
                        .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).sum()))
                .orElse("unknown");
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
