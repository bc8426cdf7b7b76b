package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.AcknowledgementCommitCallback;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * kafka-clients' {@link MockShareConsumer}, made to behave as the real one does in explicit acknowledgement mode,
 * as far as the engine relies on it: {@code acknowledge} takes only records of the last poll that are in flight, a
 * poll is refused while one is not acknowledged, acknowledgements are taken by the next poll or commit ("sent"),
 * the test answers them ({@link #answer}) and the answers reach the commit callback inside the next poll or commit,
 * renewed records come back with the poll after their answer and nothing else with it. Single-threaded, as the
 * engine's I/O thread uses it; a test turns the loop on its own thread.
 */
final class FakeShareConsumer extends MockShareConsumer<String, String> {

    static final String TOPIC = "orders";

    private final Map<Long, ConsumerRecord<String, String>> queued = new LinkedHashMap<>();
    private final Map<Long, ConsumerRecord<String, String>> inFlight = new LinkedHashMap<>();
    private final Map<Long, AcknowledgeType> acknowledged = new LinkedHashMap<>();
    private final Map<Long, AcknowledgeType> sent = new LinkedHashMap<>();
    private final Map<Long, ConsumerRecord<String, String>> renewing = new LinkedHashMap<>();
    private final List<ConsumerRecord<String, String>> renewed = new ArrayList<>();
    private final List<Answer> answers = new ArrayList<>();
    /** Every acknowledgement the engine made, in order: "offset:TYPE". */
    final List<String> acknowledgements = new ArrayList<>();
    /** Polls that got past a pending wakeup. */
    int polls;
    int commitsAsync;
    int commitsSync;
    boolean closed;
    private AcknowledgementCommitCallback callback;
    private Optional<Integer> lockTimeoutMs = Optional.of(30_000);
    private boolean wakeup;
    private RuntimeException pollFailure;

    private record Answer(Map<Long, AcknowledgeType> offsets, Exception error) {
    }

    /** Queues records with offsets {@code from..to-1} (values "v" + offset, first deliveries) for the next poll. */
    void deliver(long from, long to) {
        for (long offset = from; offset < to; offset++) {
            deliverOne(offset, 1);
        }
    }

    /** Queues one record with the given delivery count for the next poll. */
    void deliverOne(long offset, int deliveryCount) {
        queued.put(offset, new ConsumerRecord<>(TOPIC, 0, offset, -1L, TimestampType.NO_TIMESTAMP_TYPE, -1, -1, "k" + offset,
                "v" + offset, new RecordHeaders(), Optional.empty(), Optional.of((short) deliveryCount)));
    }

    /** The next poll throws {@code failure}. */
    void failNextPoll(RuntimeException failure) {
        pollFailure = failure;
    }

    void lockTimeoutMs(Optional<Integer> timeout) {
        lockTimeoutMs = timeout;
    }

    /** Answers everything sent so far, successfully when {@code error} is null; the callback hears it in the next poll or commit. */
    void answer(Exception error) {
        answers.add(new Answer(new LinkedHashMap<>(sent), error));
        if (error == null) {
            sent.forEach((offset, type) -> {
                if (type == AcknowledgeType.RENEW) {
                    renewed.add(renewing.remove(offset));
                }
            });
        } else {
            sent.keySet().forEach(renewing::remove);
        }
        sent.clear();
    }

    /** Offsets sent and not answered, with their types. */
    Map<Long, AcknowledgeType> sent() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sent));
    }

    @Override
    public synchronized ConsumerRecords<String, String> poll(Duration timeout) {
        if (wakeup) {
            wakeup = false;
            throw new WakeupException();
        }
        polls++;
        if (pollFailure != null) {
            RuntimeException failure = pollFailure;
            pollFailure = null;
            throw failure;
        }
        deliverAnswers();
        if (acknowledged.size() < inFlight.size()) {
            throw new IllegalStateException("All records must be acknowledged in explicit acknowledgement mode.");
        }
        take();
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new LinkedHashMap<>();
        if (!renewed.isEmpty() || !renewing.isEmpty()) {
            renewed.forEach(record -> inFlight.put(record.offset(), record));
            if (!renewed.isEmpty()) {
                records.put(new TopicPartition(TOPIC, 0), new ArrayList<>(renewed));
            }
            renewed.clear();
        } else if (!queued.isEmpty()) {
            inFlight.putAll(queued);
            records.put(new TopicPartition(TOPIC, 0), new ArrayList<>(queued.values()));
            queued.clear();
        }
        return new ConsumerRecords<>(records, Map.of());
    }

    @Override
    public synchronized void acknowledge(ConsumerRecord<String, String> record, AcknowledgeType type) {
        if (!inFlight.containsKey(record.offset())) {
            throw new IllegalStateException("The record cannot be acknowledged.");
        }
        acknowledged.put(record.offset(), type);
        acknowledgements.add(record.offset() + ":" + type.name());
    }

    @Override
    public synchronized void acknowledge(String topic, int partition, long offset, AcknowledgeType type) {
        acknowledgements.add(offset + ":" + type.name());
    }

    @Override
    public synchronized void commitAsync() {
        commitsAsync++;
        deliverAnswers();
        take();
    }

    @Override
    public synchronized Map<TopicIdPartition, Optional<KafkaException>> commitSync(Duration timeout) {
        commitsSync++;
        deliverAnswers();
        take();
        return Map.of();
    }

    @Override
    public void setAcknowledgementCommitCallback(AcknowledgementCommitCallback callback) {
        this.callback = callback;
    }

    @Override
    public Optional<Integer> acquisitionLockTimeoutMs() {
        return lockTimeoutMs;
    }

    @Override
    public synchronized void wakeup() {
        wakeup = true;
    }

    @Override
    public synchronized void close(Duration timeout) {
        closed = true;
        super.close(timeout);
    }

    /** Takes the acknowledged records for sending, as the real consumer's poll and commits do. */
    private void take() {
        acknowledged.forEach((offset, type) -> {
            ConsumerRecord<String, String> record = inFlight.remove(offset);
            sent.put(offset, type);
            if (type == AcknowledgeType.RENEW) {
                renewing.put(offset, record);
            }
        });
        acknowledged.clear();
    }

    private void deliverAnswers() {
        List<Answer> due = new ArrayList<>(answers);
        answers.clear();
        TopicIdPartition partition = new TopicIdPartition(Uuid.ONE_UUID, 0, TOPIC);
        for (Answer answer : due) {
            if (callback != null && !answer.offsets().isEmpty()) {
                Set<Long> offsets = answer.offsets().keySet().stream().collect(Collectors.toCollection(TreeSet::new));
                callback.onComplete(Map.of(partition, offsets), answer.error());
            }
        }
    }
}
