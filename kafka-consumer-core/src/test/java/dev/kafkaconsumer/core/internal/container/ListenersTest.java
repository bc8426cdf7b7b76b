package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;

/** Every event reaches every listener in order, past one that throws; no broker. */
class ListenersTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);

    private final List<String> heard = new CopyOnWriteArrayList<>();

    /** Throws from every event, after noting it. */
    private final ContainerListener throwing = new ContainerListener() {
        @Override
        public void recordsTaken(String container, TopicPartition partition, int count) {
            throw new IllegalStateException("first");
        }

        @Override
        public void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
            throw new IllegalStateException("first");
        }

        @Override
        public void retrying(String container, TopicPartition partition, int attempt) {
            throw new IllegalStateException("first");
        }

        @Override
        public void processingTimedOut(String container, TopicPartition partition, long offset, Duration elapsed) {
            throw new IllegalStateException("first");
        }

        @Override
        public void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
            throw new IllegalStateException("first");
        }

        @Override
        public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
            throw new IllegalStateException("first");
        }

        @Override
        public void assigned(String container, Collection<TopicPartition> partitions) {
            throw new IllegalStateException("first");
        }

        @Override
        public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
            throw new IllegalStateException("first");
        }
    };

    private final ContainerListener recording = new ContainerListener() {
        @Override
        public void recordsTaken(String container, TopicPartition partition, int count) {
            heard.add("taken " + container + " " + partition + " " + count);
        }

        @Override
        public void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
            heard.add("handled " + container + " " + partition + " " + records + " " + duration.toMillis() + " " + outcome);
        }

        @Override
        public void retrying(String container, TopicPartition partition, int attempt) {
            heard.add("retrying " + container + " " + partition + " " + attempt);
        }

        @Override
        public void processingTimedOut(String container, TopicPartition partition, long offset, Duration elapsed) {
            heard.add("timed out " + container + " " + partition + "@" + offset + " " + elapsed.toMillis());
        }

        @Override
        public void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
            heard.add("recovered " + container + " " + failed.offset() + " " + recoverer);
        }

        @Override
        public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
            heard.add("committed " + container + " " + offsets.get(P0).offset() + " " + failure.getMessage());
        }

        @Override
        public void assigned(String container, Collection<TopicPartition> partitions) {
            heard.add("assigned " + container + " " + partitions);
        }

        @Override
        public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
            heard.add("unassigned " + container + " " + partitions + " " + lost);
        }
    };

    @Test
    void everyEventReachesEveryListenerPastOneThatThrows() {
        Listeners listeners = new Listeners(List.of(throwing, recording));
        FailedRecord<byte[], byte[]> failed = new FailedRecord<>(new ConsumerRecord<>("t", 0, 7, new byte[0], new byte[0]), null,
                new IllegalStateException("x"), 1);

        listeners.recordsTaken("c", P0, 3);
        listeners.handled("c", P0, 2, Duration.ofMillis(5), ContainerListener.Outcome.FAILURE);
        listeners.retrying("c", P0, 1);
        listeners.processingTimedOut("c", P0, 4, Duration.ofMillis(9));
        listeners.recovered("c", failed, "dead-letter");
        listeners.committed("c", Map.of(P0, new OffsetAndMetadata(8)), new IllegalStateException("refused"));
        listeners.assigned("c", List.of(P0));
        listeners.unassigned("c", List.of(P0), true);
        listeners.each(listener -> heard.add("told " + (listener == recording)));

        assertThat(heard).containsExactly("taken c t-0 3", "handled c t-0 2 5 FAILURE", "retrying c t-0 1",
                "timed out c t-0@4 9", "recovered c 7 dead-letter", "committed c 8 refused", "assigned c [t-0]",
                "unassigned c [t-0] true", "told false", "told true");
    }

    @Test
    void theListOfListenersIsCopied() {
        List<ContainerListener> given = new CopyOnWriteArrayList<>(List.of(recording));
        Listeners listeners = new Listeners(given);
        given.add(recording);

        listeners.retrying("c", P0, 2);

        assertThat(heard).containsExactly("retrying c t-0 2");
    }
}
