package dev.kafkaconsumer.benchmarks.apps;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.spring.RecordHandler;

/**
 * B8 with ten {@code @RecordHandler} methods: ten containers of five topics each.
 * Each method reads the topics its {@code b8.pattern.<n>} property matches, in a group of its own, and counts each
 * record in {@link AppMeter}. Generated: the same shape for 1, 10 and 50 methods.
 */
final class TenHandlers {

    @RecordHandler(id = "h00", topicPattern = "${b8.pattern.0}", groupId = "${b8.group}-0")
    void h00(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h01", topicPattern = "${b8.pattern.1}", groupId = "${b8.group}-1")
    void h01(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h02", topicPattern = "${b8.pattern.2}", groupId = "${b8.group}-2")
    void h02(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h03", topicPattern = "${b8.pattern.3}", groupId = "${b8.group}-3")
    void h03(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h04", topicPattern = "${b8.pattern.4}", groupId = "${b8.group}-4")
    void h04(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h05", topicPattern = "${b8.pattern.5}", groupId = "${b8.group}-5")
    void h05(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h06", topicPattern = "${b8.pattern.6}", groupId = "${b8.group}-6")
    void h06(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h07", topicPattern = "${b8.pattern.7}", groupId = "${b8.group}-7")
    void h07(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h08", topicPattern = "${b8.pattern.8}", groupId = "${b8.group}-8")
    void h08(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h09", topicPattern = "${b8.pattern.9}", groupId = "${b8.group}-9")
    void h09(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }
}
