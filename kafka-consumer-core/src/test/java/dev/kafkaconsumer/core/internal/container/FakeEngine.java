package dev.kafkaconsumer.core.internal.container;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * A stand-in for a container's engine, without a broker: each partition is a log of records the test
 * appends to ({@link #produce}); {@code getMany} hands out what lies at or after each partition's position,
 * skipping paused partitions and, as the engine does, taking no more of a partition than the container's room allows; rebalances are called by the test ({@link #assignGroup}, {@link #revoke},
 * {@link #lose}) on its own thread, which plays the engine's I/O thread. Commits are recorded. Thread-safe.
 */
final class FakeEngine implements ContainerEngine {

    /** What {@link #start()} does, beyond marking the engine running. */
    @FunctionalInterface
    interface Start {
        void run(FakeEngine engine) throws InterruptedException;
    }

    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> logs = new HashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Set<TopicPartition> assignment = new LinkedHashSet<>();
    private final Set<TopicPartition> paused = new LinkedHashSet<>();
    private final Set<TopicPartition> frozen = new LinkedHashSet<>();
    final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile ConsumerRebalanceListener listener;
    private volatile Start start = engine -> { };
    private volatile Set<TopicPartition> assignedOnStart = Set.of();
    private volatile RuntimeException nextGetFailure;
    private volatile RuntimeException commitFailure;
    private volatile boolean commitsHang;
    private volatile Collection<TopicPartition> revokedAtNextCommit = List.of();
    private volatile Set<String> topics = Set.of();
    private volatile boolean running;
    /** How often a take left each partition out for want of room. */
    private final Map<TopicPartition, Integer> refusals = new HashMap<>();
    private int roomChanges;
    private volatile boolean stopped;
    private Set<String> subscription = Set.of();

    // ---------------------------------------------------------------- what the test sets up

    /** What start() does, e.g. throw, or wait until stopped. */
    FakeEngine onStart(Start action) {
        this.start = action;
        return this;
    }

    /** The group assigns these partitions during start(). */
    FakeEngine assignsOnStart(TopicPartition... partitions) {
        this.assignedOnStart = Set.of(partitions);
        return this;
    }

    FakeEngine topics(String... names) {
        this.topics = Set.of(names);
        return this;
    }

    /** The next get call throws this. */
    void failNextGet(RuntimeException failure) {
        this.nextGetFailure = failure;
    }

    /** Every commit throws this, or none when null. */
    void failCommits(RuntimeException failure) {
        this.commitFailure = failure;
    }

    /** Every asynchronous commit from now on never completes, as with the brokers gone. */
    void hangCommits() {
        this.commitsHang = true;
    }

    /**
     * The next commit finds these partitions revoked when it runs, as the engine's I/O thread does when a rebalance
     * took them between the committer's read of the assignment and the commit: it refuses the whole commit, as the
     * engine refuses offsets of partitions this member no longer owns.
     */
    void revokesAtNextCommit(TopicPartition... partitions) {
        this.revokedAtNextCommit = List.of(partitions);
    }

    /** The partitions are no longer assigned, without a rebalance callback (a revocation under way elsewhere). */
    synchronized void unassign(Collection<TopicPartition> partitions) {
        drop(partitions);
    }

    /** Appends records with offsets from the log's end, key {@code k<offset % keys>} and value {@code v<offset>}. */
    synchronized void produce(TopicPartition partition, int count) {
        List<ConsumerRecord<byte[], byte[]>> log = logs.computeIfAbsent(partition, p -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            long offset = log.size();
            log.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
                    ("k" + offset).getBytes(StandardCharsets.UTF_8), ("v" + offset).getBytes(StandardCharsets.UTF_8)));
        }
        notifyAll();
    }

    /** Appends records as {@link #produce(TopicPartition, int)} does, each with a value of {@code valueBytes} bytes. */
    synchronized void produce(TopicPartition partition, int count, int valueBytes) {
        List<ConsumerRecord<byte[], byte[]>> log = logs.computeIfAbsent(partition, p -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            long offset = log.size();
            byte[] key = ("k" + offset).getBytes(StandardCharsets.UTF_8);
            log.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, 0L, TimestampType.CREATE_TIME,
                    key.length, valueBytes, key, new byte[valueBytes], new RecordHeaders(), Optional.empty()));
        }
        notifyAll();
    }

    /**
     * The log loses its records from {@code end} on, as after an unclean leader election, and a position above it
     * moves back there, as kafka-clients moves it by itself when it finds the truncation; records produced next take
     * the lost records' offsets.
     */
    synchronized void truncate(TopicPartition partition, long end) {
        List<ConsumerRecord<byte[], byte[]>> log = logs.computeIfAbsent(partition, p -> new ArrayList<>());
        while (log.size() > end) {
            log.remove(log.size() - 1);
        }
        positions.computeIfPresent(partition, (p, position) -> Math.min(position, end));
        notifyAll();
    }

    /**
     * Appends offsets that hold no record for the consumer, as a transaction's marker or its aborted records: a take
     * moves the partition's position past them, as the engine does once what was fetched before them is taken.
     */
    synchronized void produceMarkers(TopicPartition partition, int count) {
        List<ConsumerRecord<byte[], byte[]>> log = logs.computeIfAbsent(partition, p -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            log.add(null);
        }
        notifyAll();
    }

    /** The group assigns the partitions: the rebalance listener is told on this thread. */
    void assignGroup(Collection<TopicPartition> partitions) {
        synchronized (this) {
            for (TopicPartition partition : partitions) {
                assignment.add(partition);
                positions.putIfAbsent(partition, 0L);
            }
            subscription = new LinkedHashSet<>(partitions.stream().map(TopicPartition::topic).toList());
        }
        listener.onPartitionsAssigned(partitions);
        synchronized (this) {
            notifyAll();
        }
    }

    /** The group revokes the partitions: frozen first, as the engine does, then the listener is told on this thread. */
    void revoke(Collection<TopicPartition> partitions) {
        synchronized (this) {
            frozen.addAll(partitions);
        }
        listener.onPartitionsRevoked(partitions);
        drop(partitions);
    }

    /** The partitions are lost: the listener is told on this thread. */
    void lose(Collection<TopicPartition> partitions) {
        synchronized (this) {
            frozen.addAll(partitions);
        }
        listener.onPartitionsLost(partitions);
        drop(partitions);
    }

    private synchronized void drop(Collection<TopicPartition> partitions) {
        assignment.removeAll(partitions);
        paused.removeAll(partitions);
        frozen.removeAll(partitions);
        partitions.forEach(positions::remove);
    }

    synchronized Map<TopicPartition, Long> lastCommitted() {
        Map<TopicPartition, Long> last = new HashMap<>();
        commits.forEach(commit -> commit.forEach((partition, offset) -> last.put(partition, offset.offset())));
        return last;
    }

    /** How often a take left the partition out for want of room. */
    synchronized int refusals(TopicPartition partition) {
        return refusals.getOrDefault(partition, 0);
    }

    /** How often the container said that a partition left out has room again. */
    synchronized int roomChanges() {
        return roomChanges;
    }

    boolean stopped() {
        return stopped;
    }

    // ---------------------------------------------------------------- ContainerEngine

    @Override
    public void start() {
        try {
            start.run(this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsumerStoppedException("interrupted");
        }
        if (stopped) {
            throw new ConsumerStoppedException("The engine was stopped");
        }
        running = true;
        if (!assignedOnStart.isEmpty()) {
            assignGroup(assignedOnStart);
        }
    }

    /** Blocks a start until the engine is stopped, as a join that never comes. */
    synchronized void awaitStop() throws InterruptedException {
        while (!stopped) {
            wait();
        }
    }

    @Override
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    @Override
    public synchronized void stop(Duration timeout) {
        calls.add("stop");
        stopped = true;
        running = false;
        notifyAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        this.listener = listener;
        this.subscription = Set.copyOf(topics);
    }

    @Override
    public synchronized void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        this.listener = listener;
    }

    @Override
    public synchronized void assign(Collection<TopicPartition> partitions) {
        assignment.addAll(partitions);
        partitions.forEach(partition -> positions.putIfAbsent(partition, 0L));
    }

    @Override
    public synchronized Set<TopicPartition> assignment() {
        return Set.copyOf(assignment);
    }

    @Override
    public synchronized Set<String> subscription() {
        return Set.copyOf(subscription);
    }

    @Override
    public synchronized Set<TopicPartition> paused() {
        return Set.copyOf(paused);
    }

    @Override
    public synchronized void pause(TopicPartition... partitions) {
        calls.add("pause " + List.of(partitions));
        for (TopicPartition partition : partitions) {
            requireAssigned(partition);
            paused.add(partition);
        }
    }

    @Override
    public synchronized void resume(TopicPartition... partitions) {
        calls.add("resume " + List.of(partitions));
        for (TopicPartition partition : partitions) {
            requireAssigned(partition);
            paused.remove(partition);
        }
        notifyAll();
    }

    private void requireAssigned(TopicPartition partition) {
        if (!assignment.contains(partition)) {
            throw new IllegalStateException(partition + " is not assigned");
        }
    }

    @Override
    public synchronized Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> getMany(Duration timeout, int maxRecords,
            ToIntFunction<TopicPartition> room) {
        RuntimeException failure = nextGetFailure;
        if (failure != null) {
            nextGetFailure = null;
            throw failure;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = take(maxRecords, room);
        while (taken.isEmpty() && !stopped) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConsumerStoppedException("interrupted");
            }
            taken = take(maxRecords, room);
        }
        return taken;
    }

    /** Counts the wake-ups, and wakes a waiting take to ask its room again. */
    @Override
    public synchronized void roomChanged() {
        roomChanges++;
        notifyAll();
    }

    private Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take(int maxRecords, ToIntFunction<TopicPartition> room) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = new LinkedHashMap<>();
        int left = maxRecords;
        for (TopicPartition partition : assignment) {
            if (paused.contains(partition) || frozen.contains(partition) || left == 0) {
                continue;
            }
            List<ConsumerRecord<byte[], byte[]>> log = logs.getOrDefault(partition, List.of());
            long position = positions.get(partition);
            if (position >= log.size()) {
                continue;
            }
            int allowed = room.applyAsInt(partition);
            if (allowed <= 0) {
                refusals.merge(partition, 1, Integer::sum);
                continue;
            }
            int mayTake = Math.min(left, allowed);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (position < log.size() && (mayTake > 0 || log.get((int) position) == null)) {
                ConsumerRecord<byte[], byte[]> record = log.get((int) position++);
                if (record != null) {
                    records.add(record);
                    left--;
                    mayTake--;
                }
            }
            positions.put(partition, position);
            if (!records.isEmpty()) {
                taken.put(partition, records);
            }
        }
        return taken;
    }

    @Override
    public synchronized OptionalLong currentPosition(TopicPartition partition) {
        requireAssigned(partition);
        return OptionalLong.of(positions.get(partition));
    }

    @Override
    public synchronized void seek(TopicPartition partition, long offset) {
        requireAssigned(partition);
        positions.put(partition, offset);
        notifyAll();
    }

    @Override
    public synchronized Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach(partition -> offsets.put(partition, 0L));
        return offsets;
    }

    @Override
    public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach(partition -> offsets.put(partition, (long) logs.getOrDefault(partition, List.of()).size()));
        return offsets;
    }

    /** A record's timestamp is its offset × 1000 here. */
    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
        timestamps.forEach((partition, time) -> {
            long offset = (time + 999) / 1000;
            if (offset < logs.getOrDefault(partition, List.of()).size()) {
                found.put(partition, new OffsetAndTimestamp(offset, offset * 1000));
            }
        });
        return found;
    }

    @Override
    public Set<String> topics() {
        calls.add("topics");
        return topics;
    }

    @Override
    public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        RuntimeException failure = commitFailure != null ? commitFailure : refusalAfterRevocation(offsets);
        if (failure != null) {
            throw failure;
        }
        commits.add(Map.copyOf(offsets));
    }

    /** Revokes what {@link #revokesAtNextCommit} named, and refuses the commit if it holds any of them. */
    private RuntimeException refusalAfterRevocation(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Collection<TopicPartition> revoked = revokedAtNextCommit;
        if (revoked.isEmpty()) {
            return null;
        }
        revokedAtNextCommit = List.of();
        drop(revoked);
        List<TopicPartition> notOwned = offsets.keySet().stream().filter(revoked::contains).toList();
        return notOwned.isEmpty() ? null
                : new CommitFailedException("Cannot commit " + notOwned + ": not assigned to this member");
    }

    /** The group's committed offsets, as a transactional container's transactions (or {@link #commit}) left them. */
    final Map<TopicPartition, OffsetAndMetadata> committed = new java.util.concurrent.ConcurrentHashMap<>();
    /** The generation {@link #groupMetadata()} gives. */
    volatile int generation = 1;

    @Override
    public OffsetAndMetadata committed(TopicPartition partition) {
        calls.add("committed " + partition);
        return committed.get(partition);
    }

    @Override
    public org.apache.kafka.clients.consumer.ConsumerGroupMetadata groupMetadata() {
        return new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("fake-group", generation, "fake-member",
                java.util.Optional.empty());
    }

    @Override
    public CompletableFuture<Void> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        RuntimeException failure = commitFailure != null ? commitFailure : refusalAfterRevocation(offsets);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (commitsHang) {
            return new CompletableFuture<>();
        }
        commits.add(Map.copyOf(offsets));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized OptionalLong highwater(TopicPartition partition) {
        requireAssigned(partition);
        return OptionalLong.of(logs.getOrDefault(partition, List.of()).size());
    }

    /** Two records below the high-water mark here, as if a transaction were open. */
    @Override
    public synchronized OptionalLong lastStableOffset(TopicPartition partition) {
        requireAssigned(partition);
        return OptionalLong.of(Math.max(0, logs.getOrDefault(partition, List.of()).size() - 2));
    }

    @Override
    public OptionalLong lastPollTimestamp(TopicPartition partition) {
        return OptionalLong.of(42);
    }

    /** One metric, so that a test sees the engine's metrics pass through. */
    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        MetricName name = new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of());
        return Map.of(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return 0.0;
            }
        });
    }
}
