package dev.kafkaconsumer.core.internal.container;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when a container subscribes to topics that do not exist. Kafka's consumer says
 * nothing useful then (it joins the group, gets no partition of them, and logs an
 * {@code UNKNOWN_TOPIC_OR_PARTITION} metadata warning at best), so a misspelt topic, or one that
 * {@code allow.auto.create.topics=false} keeps from being created, looks like a topic without traffic.
 * The container keeps running, since the topic may be created later and is then consumed, and this
 * check logs a WARN naming the missing topics, then checks again every {@link #RECHECK_SECONDS} seconds
 * until they exist (logged at INFO). Runs on the container's timer thread.
 */
final class MissingTopics implements Runnable {

    static final long RECHECK_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(MissingTopics.class);

    private final String container;
    private final Set<String> subscribed;
    private final Supplier<Set<String>> existing;
    private final boolean autoCreate;
    private final ScheduledExecutorService timers;
    private Set<String> reported = Set.of();

    /**
     * @param existing   the topics the cluster has (a metadata request)
     * @param autoCreate whether the consumer's {@code allow.auto.create.topics} lets the broker create them
     */
    MissingTopics(String container, Set<String> subscribed, Supplier<Set<String>> existing, boolean autoCreate,
            ScheduledExecutorService timers) {
        this.container = container;
        this.subscribed = Set.copyOf(subscribed);
        this.existing = existing;
        this.autoCreate = autoCreate;
        this.timers = timers;
    }

    @Override
    public void run() {
        Set<String> missing = new TreeSet<>(subscribed);
        try {
            missing.removeAll(existing.get());
        } catch (RuntimeException e) {
            // the cluster cannot be asked now (unreachable, or stopping): the engine reports that itself
            log.debug("Container {}: could not list topics ({})", container, e.toString());
            recheck();
            return;
        }
        if (!missing.equals(reported)) {
            if (!missing.isEmpty()) {
                log.warn("Container {}: subscribed topic(s) {} do not exist{}; none of their partitions is assigned until "
                        + "they are created, and the container keeps waiting for them", container, missing, autoCreate
                        ? " (the broker creates a topic for a consumer only with auto.create.topics.enable=true)"
                        : " and allow.auto.create.topics=false keeps the consumer from having them created");
            } else {
                log.info("Container {}: topic(s) {} exist now", container, reported);
            }
            reported = missing;
        }
        if (!missing.isEmpty()) {
            recheck();
        }
    }

    private void recheck() {
        try {
            timers.schedule(this, RECHECK_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // the container stopped
        }
    }
}
