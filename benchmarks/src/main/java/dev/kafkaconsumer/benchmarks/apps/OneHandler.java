package dev.kafkaconsumer.benchmarks.apps;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.spring.RecordHandler;

/**
 * B8 with one {@code @RecordHandler} method: one container for all 50 topics.
 * Each method reads the topics its {@code b8.pattern.<n>} property matches, in a group of its own, and counts each
 * record in {@link AppMeter}. Generated: the same shape for 1, 10 and 50 methods.
 */
final class OneHandler {

    @RecordHandler(id = "h00", topicPattern = "${b8.pattern.0}", groupId = "${b8.group}-0")
    void h00(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }
}
