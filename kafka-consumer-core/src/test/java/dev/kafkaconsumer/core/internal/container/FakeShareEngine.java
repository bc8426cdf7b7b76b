package dev.kafkaconsumer.core.internal.container;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ShareEngineSnapshot;

/**
 * A stand-in for a share container's engine, and for the broker behind it, without either: the test appends
 * records to a partition ({@link #produce}); {@code getMany} acquires what is available, in order; a RELEASE makes
 * a record available again with its delivery count one higher (as a lock expiry does, {@link #expire}); ACCEPT and
 * REJECT end it; the broker's delivery count limit archives a record released on its last delivery. Every
 * acknowledgement is recorded ({@link #acks}) and reported to the container's events at once, on the
 * acknowledging thread, as confirmed; what the engine refuses (a second final acknowledgement, one after the lock
 * expired) is recorded apart ({@link #refused}). Records that become available (produced, released, expired) are told
 * to the container's {@link #onRecords} listener, outside the monitor, as the engine's I/O thread tells them after a
 * poll. Thread-safe: its monitor guards the records.
 */
final class FakeShareEngine implements ShareContainerEngine {

    /** One acknowledgement sent: which record, on which delivery, how. */
    record Ack(long offset, int deliveryCount, AcknowledgeType type) {
        @Override
        public String toString() {
            return offset + "/" + deliveryCount + " " + type.name();
        }
    }

    private final ShareContainerEngine.Events events;
    private final ArrayDeque<FakeAcquired> available = new ArrayDeque<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final Map<AcknowledgeType, Long> confirmed = new EnumMap<>(AcknowledgeType.class);
    private final Map<Integer, Long> deliveryCounts = new TreeMap<>();
    final List<Ack> acks = new CopyOnWriteArrayList<>();
    /** Acknowledgements the engine refused: a second final one, or one of a record whose lock had expired. */
    final List<Ack> refused = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** The name of the thread of each get that took records, and how many: {@code name:count}. */
    final List<String> takes = new CopyOnWriteArrayList<>();
    private final List<FakeAcquired> handedOut = new ArrayList<>();
    private final int deliveryLimit;
    private long lockExpirations;
    private volatile Consumer<FakeShareEngine> onStart = engine -> { };
    private volatile RuntimeException nextGetFailure;
    private volatile Runnable onRecords = () -> {
    };
    private boolean running;
    private boolean stopped;
    private Set<String> subscription = Set.of();

    /**
     * @param events        the container's, as it hands them to the engine it builds
     * @param deliveryLimit the broker's {@code share.delivery.count.limit}
     */
    FakeShareEngine(ShareContainerEngine.Events events, int deliveryLimit) {
        this.events = events;
        this.deliveryLimit = deliveryLimit;
    }

    // ---------------------------------------------------------------- what the test sets up and reads

    /** What start() does besides marking the engine running: throw, for instance. */
    FakeShareEngine onStart(Consumer<FakeShareEngine> action) {
        this.onStart = action;
        return this;
    }

    /** The next get call throws this. */
    void failNextGet(RuntimeException failure) {
        this.nextGetFailure = failure;
    }

    /** Appends records with these values to the partition, available for a first delivery, and tells the container. */
    void produce(TopicPartition partition, String... values) {
        append(partition, values);
        onRecords.run();
    }

    private synchronized void append(TopicPartition partition, String... values) {
        for (String value : values) {
            long offset = nextOffsets.merge(partition, 1L, Long::sum) - 1;
            available.addLast(new FakeAcquired(partition, offset, value.getBytes(StandardCharsets.UTF_8), 1));
        }
        notifyAll();
    }


    /** The lock of the record handed out at this offset expires: reported, and the record is available again. */
    void expire(TopicPartition partition, long offset) {
        FakeAcquired expired;
        synchronized (this) {
            expired = handedOut.stream().filter(record -> record.partition.equals(partition) && record.offset == offset)
                    .findFirst().orElseThrow();
            handedOut.remove(expired);
            expired.expired = true;
            lockExpirations++;
            redeliver(expired);
        }
        onRecords.run();
        events.lockExpired(partition, offset, expired.deliveryCount, Duration.ofSeconds(1));
    }

    /** The records handed out and not finally acknowledged. */
    synchronized int handedOut() {
        return handedOut.size();
    }

    /** The offsets acknowledged with this type, in the order of the acknowledgements. */
    List<Long> offsets(AcknowledgeType type) {
        return acks.stream().filter(ack -> ack.type() == type).map(Ack::offset).toList();
    }

    // ---------------------------------------------------------------- the engine

    @Override
    public synchronized void subscribe(Collection<String> topics) {
        calls.add("subscribe " + topics);
        subscription = Set.copyOf(topics);
    }

    @Override
    public void start() {
        calls.add("start");
        onStart.accept(this);
        synchronized (this) {
            if (stopped) {
                throw new ConsumerStoppedException("stopped while starting");
            }
            running = true;
        }
    }

    @Override
    public void stop(Duration timeout) {
        List<FakeAcquired> release;
        synchronized (this) {
            if (stopped) {
                return;
            }
            calls.add("stop");
            stopped = true;
            running = false;
            release = new ArrayList<>(handedOut);
            notifyAll();
        }
        // the engine releases what it handed out and was not acknowledged
        release.forEach(record -> record.acknowledge(AcknowledgeType.RELEASE));
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public List<Acquired> getMany(Duration timeout, int maxRecords) {
        RuntimeException failure = nextGetFailure;
        if (failure != null) {
            nextGetFailure = null;
            throw failure;
        }
        synchronized (this) {
            if (stopped) {
                throw new ConsumerStoppedException("stopped");
            }
            if (!running) {
                throw new IllegalStateException("not started");
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (available.isEmpty() && !stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            List<Acquired> taken = new ArrayList<>();
            while (!available.isEmpty() && taken.size() < maxRecords) {
                FakeAcquired record = available.pollFirst();
                handedOut.add(record);
                deliveryCounts.merge(record.deliveryCount, 1L, Long::sum);
                taken.add(record);
            }
            if (!taken.isEmpty()) {
                takes.add(Thread.currentThread().getName() + ":" + taken.size());
            }
            return taken;
        }
    }

    @Override
    public void onRecords(Runnable listener) {
        this.onRecords = listener;
    }

    @Override
    public synchronized ShareEngineSnapshot snapshot() {
        return new ShareEngineSnapshot("g", subscription, available.size() + handedOut.size(), handedOut.size(), confirmed, 0,
                lockExpirations, deliveryCounts, Optional.of(Duration.ofSeconds(30)));
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return Map.of();
    }

    /** The broker's side of an acknowledgement, under the monitor. */
    private void acknowledged(FakeAcquired record, AcknowledgeType type) {
        acks.add(new Ack(record.offset, record.deliveryCount, type));
        if (type == AcknowledgeType.RENEW) {
            return;
        }
        handedOut.remove(record);
        confirmed.merge(type, 1L, Long::sum);
        if (type == AcknowledgeType.RELEASE) {
            redeliver(record);
        }
    }

    private void redeliver(FakeAcquired record) {
        if (record.deliveryCount < deliveryLimit && !stopped) {
            available.addLast(new FakeAcquired(record.partition, record.offset, record.value, record.deliveryCount + 1));
            notifyAll();
        }
    }

    /** A record acquired, with the engine's rules for its acknowledgement. */
    private final class FakeAcquired implements Acquired {

        final TopicPartition partition;
        final long offset;
        final byte[] value;
        final int deliveryCount;
        private final ConsumerRecord<byte[], byte[]> record;
        private AcknowledgeType finalType;
        boolean expired;

        FakeAcquired(TopicPartition partition, long offset, byte[] value, int deliveryCount) {
            this.partition = partition;
            this.offset = offset;
            this.value = value;
            this.deliveryCount = deliveryCount;
            this.record = new ConsumerRecord<>(partition.topic(), partition.partition(), offset, 0L, TimestampType.CREATE_TIME,
                    0, value.length, null, value, new RecordHeaders(), Optional.empty(), Optional.of((short) deliveryCount));
        }

        @Override
        public ConsumerRecord<byte[], byte[]> record() {
            return record;
        }

        @Override
        public TopicPartition partition() {
            return partition;
        }

        @Override
        public int deliveryCount() {
            return deliveryCount;
        }

        @Override
        public boolean isLockExpired() {
            synchronized (FakeShareEngine.this) {
                return expired;
            }
        }

        @Override
        public void acknowledge(AcknowledgeType type) {
            synchronized (FakeShareEngine.this) {
                if (finalType != null) {
                    refused.add(new Ack(offset, deliveryCount, type));
                    throw new IllegalStateException(this + " was acknowledged " + finalType + " already; " + type + " refused");
                }
                if (expired) {
                    refused.add(new Ack(offset, deliveryCount, type));
                    return; // the engine's record sends nothing for it
                }
                if (stopped && handedOut.contains(this) && type != AcknowledgeType.RELEASE) {
                    throw new ConsumerStoppedException("stopped");
                }
                if (type != AcknowledgeType.RENEW) {
                    finalType = type;
                }
                acknowledged(this, type);
            }
            if (type == AcknowledgeType.RELEASE) {
                onRecords.run(); // delivered again, unless it was its last delivery
            }
            if (type != AcknowledgeType.RENEW) {
                events.acknowledged(partition, type, 1);
            }
        }

        @Override
        public String toString() {
            return partition + "@" + offset + " (delivery " + deliveryCount + ")";
        }
    }
}
