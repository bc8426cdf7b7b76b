package dev.kafkaconsumer.spring.actuate.lag;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.kafkaconsumer.spring.autoconfigure.ShareConsumerContainerLifecycle;

/**
 * Asks the broker, every interval, for the offsets and lag of the share groups that the running share containers
 * belong to ({@code Admin#listShareGroupOffsets}, one request for all groups), on its own named daemon thread,
 * {@value #THREAD_NAME}, and keeps the latest answer of each group for the endpoints to read: a share group commits
 * no offsets, so its lag is known only to the broker, and no request is made on behalf of an HTTP call. The lag is
 * what the broker says; where it says nothing (a broker before Kafka 4.2, a partition it cannot tell), it stays
 * empty.
 *
 * <p>The admin client is created with the first share container's connection ({@code bootstrap-servers},
 * {@code security.*}, {@code ssl.*}, {@code sasl.*}), when a share container first runs, and closed with the sampler.
 * A failed request is logged at WARN once (then at DEBUG while it keeps failing the same way) and the next round tries
 * again. Nothing runs in an application without share containers.
 */
public final class ShareGroupLagSampler implements SmartLifecycle {

    /** The name of the sampler's thread. */
    public static final String THREAD_NAME = "kafka-consumer-share-lag-sampler";

    /** The client id of its admin client. */
    public static final String CLIENT_ID = "kafka-consumer-share-lag";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ShareGroupLagSampler.class);

    private final Supplier<? extends Collection<ShareConsumerContainerLifecycle>> containers;

    private final Duration interval;

    private final Function<Map<String, Object>, Admin> adminFactory;

    private final Clock clock;

    private final Map<String, ShareGroupLag> latest = new ConcurrentHashMap<>();

    private final Map<String, String> failures = new ConcurrentHashMap<>();

    private final Object lifecycle = new Object();

    private @Nullable ScheduledExecutorService executor;

    private volatile @Nullable Admin admin;

    /**
     * Creates a sampler, not yet started.
     *
     * @param containers the share containers now
     * @param interval   time between two requests, positive
     */
    public ShareGroupLagSampler(Supplier<? extends Collection<ShareConsumerContainerLifecycle>> containers,
            Duration interval) {
        this(containers, interval, Admin::create, Clock.systemUTC());
    }

    ShareGroupLagSampler(Supplier<? extends Collection<ShareConsumerContainerLifecycle>> containers, Duration interval,
            Function<Map<String, Object>, Admin> adminFactory, Clock clock) {
        this.containers = Objects.requireNonNull(containers, "containers");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The lag sample interval must be positive, was " + interval
                    + "; set kafka.consumer.lag.sample-interval");
        }
        this.interval = interval;
        this.adminFactory = adminFactory;
        this.clock = clock;
    }

    /**
     * Returns the latest answer of the broker for a share group.
     *
     * @param groupId the share group
     * @return its offsets and lag, or empty before the broker answered for it
     */
    public Optional<ShareGroupLag> lag(String groupId) {
        return Optional.ofNullable(this.latest.get(groupId));
    }

    /** Starts sampling, when the application has share containers. */
    @Override
    public void start() {
        synchronized (this.lifecycle) {
            if (this.executor != null || this.containers.get().isEmpty()) {
                return;
            }
            ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((runnable) -> {
                Thread thread = new Thread(runnable, THREAD_NAME);
                thread.setDaemon(true);
                thread.setUncaughtExceptionHandler((t, ex) -> log.error("Thread {} died", t.getName(), ex));
                return thread;
            });
            started.scheduleWithFixedDelay(this::sampleQuietly, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
            this.executor = started;
        }
    }

    /** Stops sampling, waits for a round in progress, and closes the admin client. */
    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this.lifecycle) {
            running = this.executor;
            this.executor = null;
        }
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this.lifecycle) {
            Admin current = this.admin;
            if (current != null && this.executor == null) {
                current.close(Duration.ofSeconds(5));
                this.admin = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (this.lifecycle) {
            return this.executor != null;
        }
    }

    /** Starts after the containers, and stops before them, so that it never asks for a group nobody reads. */
    @Override
    public int getPhase() {
        return ShareConsumerContainerLifecycle.PHASE + 1;
    }

    /**
     * Asks the broker once, on the caller's thread, for the share groups of the running share containers.
     */
    public void sampleNow() {
        Map<String, ShareConsumerContainerLifecycle> groups = new LinkedHashMap<>();
        for (ShareConsumerContainerLifecycle container : this.containers.get()) {
            if (container.isRunning()) {
                groups.putIfAbsent(container.shareGroup(), container);
            }
        }
        if (groups.isEmpty()) {
            return;
        }
        Admin client = admin(groups.values().iterator().next());
        Map<String, ListShareGroupOffsetsSpec> specs = new HashMap<>();
        groups.keySet().forEach((group) -> specs.put(group, new ListShareGroupOffsetsSpec()));
        ListShareGroupOffsetsResult result = client.listShareGroupOffsets(specs);
        for (String group : groups.keySet()) {
            try {
                Map<TopicPartition, SharePartitionOffsetInfo> offsets = result.partitionsToOffsetInfo(group)
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                this.latest.put(group, lag(group, offsets));
                if (this.failures.remove(group) != null) {
                    log.info("The offsets of share group {} are read again", group);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (ExecutionException | TimeoutException ex) {
                Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
                String reason = String.valueOf(cause);
                if (!reason.equals(this.failures.put(group, reason))) {
                    log.warn("Cannot read the offsets of share group {} (its lag stays as last read): {}", group, reason);
                }
                else {
                    log.debug("Cannot read the offsets of share group {}: {}", group, reason);
                }
            }
        }
        this.latest.keySet().retainAll(groups.keySet());
    }

    private ShareGroupLag lag(String group, Map<TopicPartition, SharePartitionOffsetInfo> offsets) {
        List<ShareGroupLag.Partition> partitions = new ArrayList<>();
        offsets.forEach((partition, info) -> {
            // no start offset for the partition yet: nothing known to show
            if (info != null) {
                OptionalLong lag = info.lag().map(OptionalLong::of).orElse(OptionalLong.empty());
                partitions.add(new ShareGroupLag.Partition(partition, info.startOffset(), lag));
            }
        });
        return new ShareGroupLag(group, this.clock.instant(), partitions);
    }

    private Admin admin(ShareConsumerContainerLifecycle container) {
        synchronized (this.lifecycle) {
            Admin current = this.admin;
            if (current == null) {
                Map<String, Object> properties = new HashMap<>(container.settings().connectionProperties());
                properties.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
                current = this.adminFactory.apply(properties);
                this.admin = current;
            }
            return current;
        }
    }

    private void sampleQuietly() {
        try {
            sampleNow();
        }
        catch (Throwable ex) {
            // a failed round must not end the schedule, which would freeze every share group's lag silently
            log.warn("Share group lag sampling failed; trying again in {}", this.interval, ex);
        }
    }

    /**
     * Returns the share groups whose lag is known.
     *
     * @return their ids
     */
    public Set<String> groups() {
        return new LinkedHashSet<>(this.latest.keySet());
    }

}
