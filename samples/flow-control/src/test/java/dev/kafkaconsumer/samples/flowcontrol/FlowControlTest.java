package dev.kafkaconsumer.samples.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.samples.flowcontrol.PartitionPicker.PartitionState;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * Partition 0 starts 5,000 records behind, partitions 1 and 2 200 behind with more arriving. The
 * assertions count records, never time: the staleness rule is set out of reach (an hour), so every
 * choice follows from the lags alone and the outcome is the same however fast the machine is.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FlowControlTest {

    private static final int BACKLOG = 5_000;
    private static final int SMALL_BACKLOG = 200;
    private static final int STEPS_WHILE_ARRIVING = 30;
    private static final int ARRIVING_PER_STEP = 10;
    private static final int MAX_RECORDS = 100;

    @Test
    void theLaggingPartitionIsServedAloneUntilItIsNoLongerTheMostBehindAndNothingIsLostOrRepeated(KafkaBroker kafka) {
        String topic = "flow-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, 3);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);
        Map<TopicPartition, Integer> produced = new HashMap<>(Map.of(p0, BACKLOG, p1, SMALL_BACKLOG, p2, SMALL_BACKLOG));
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, BACKLOG + 2 * SMALL_BACKLOG)
                .mapToObj(i -> new ProducerRecord<>(topic, i < BACKLOG ? 0 : 1 + i % 2, "k" + i, "v" + i))
                .toList());

        Map<TopicPartition, List<Long>> offsets = new HashMap<>(Map.of(p0, new ArrayList<>(), p1, new ArrayList<>(), p2, new ArrayList<>()));
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer());
                ConsumerEngine<String, String> engine = ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                        .bootstrapServers(kafka.bootstrapServers())
                        .property("auto.offset.reset", "earliest")
                        .build()) {
            engine.assign(List.of(p0, p1, p2));
            engine.start();
            PrioritisingLoop<String, String> loop = new PrioritisingLoop<>(engine, new PartitionPicker(Duration.ofHours(1)),
                    Clock.systemUTC());
            // the first fetch response gives every partition its position, high-water mark and poll time
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.states().values().stream().allMatch(PartitionState::known));
            assertThat(loop.states().get(p0).lag()).isEqualTo(BACKLOG);

            // phase 1: records keep arriving on 1 and 2, yet only partition 0 is asked for and served
            for (int step = 0; step < STEPS_WHILE_ARRIVING; step++) {
                for (int i = 0; i < ARRIVING_PER_STEP; i++) {
                    producer.send(new ProducerRecord<>(topic, 1, "late", "v"));
                    producer.send(new ProducerRecord<>(topic, 2, "late", "v"));
                }
                producer.flush();
                produced.merge(p1, ARRIVING_PER_STEP, Integer::sum);
                produced.merge(p2, ARRIVING_PER_STEP, Integer::sum);

                PrioritisingLoop.Step<String, String> taken = loop.next(Duration.ofSeconds(10), MAX_RECORDS);
                assertThat(taken.chosen()).contains(p0);
                assertThat(taken.records().keySet()).containsExactly(p0);
                record(taken, offsets);
            }
            int p0AfterPhase1 = offsets.get(p0).size();
            assertThat(p0AfterPhase1).isBetween(STEPS_WHILE_ARRIVING, STEPS_WHILE_ARRIVING * MAX_RECORDS);
            assertThat(offsets.get(p1)).isEmpty();
            assertThat(offsets.get(p2)).isEmpty();

            // phase 2: consume everything; partition 0 must have caught up with the others before they get a record
            int total = produced.values().stream().mapToInt(Integer::intValue).sum();
            Integer p0LagWhenOthersFirstServed = null;
            for (int step = 0; step < 1_000 && consumed(offsets) < total; step++) {
                PrioritisingLoop.Step<String, String> taken = loop.next(Duration.ofSeconds(1), MAX_RECORDS);
                boolean othersServed = taken.records().containsKey(p1) || taken.records().containsKey(p2);
                if (othersServed && p0LagWhenOthersFirstServed == null) {
                    p0LagWhenOthersFirstServed = BACKLOG - offsets.get(p0).size();
                }
                record(taken, offsets);
            }
            assertThat(p0LagWhenOthersFirstServed)
                    .as("partition 0's lag when partition 1 or 2 got its first record")
                    .isNotNull()
                    .isLessThanOrEqualTo(SMALL_BACKLOG + STEPS_WHILE_ARRIVING * ARRIVING_PER_STEP);
            assertThat(offsets.get(p0).size()).isGreaterThan(p0AfterPhase1);

            // every record exactly once, in order, and the engine agrees that nothing is left
            for (TopicPartition partition : List.of(p0, p1, p2)) {
                assertThat(offsets.get(partition)).as("offsets of %s", partition)
                        .containsExactlyElementsOf(LongStream.range(0, produced.get(partition)).boxed().toList());
            }
            assertThat(loop.states().values()).allSatisfy(state -> assertThat(state.lag()).isZero());
        }
    }

    private static void record(PrioritisingLoop.Step<String, String> taken, Map<TopicPartition, List<Long>> offsets) {
        taken.records().forEach((partition, records) -> records.stream().map(ConsumerRecord::offset).forEach(offsets.get(partition)::add));
    }

    private static int consumed(Map<TopicPartition, List<Long>> offsets) {
        return offsets.values().stream().mapToInt(List::size).sum();
    }
}
