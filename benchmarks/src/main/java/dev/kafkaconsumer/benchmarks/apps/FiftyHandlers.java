package dev.kafkaconsumer.benchmarks.apps;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.spring.RecordHandler;

/**
 * B8 with fifty {@code @RecordHandler} methods: a container per topic.
 * Each method reads the topics its {@code b8.pattern.<n>} property matches, in a group of its own, and counts each
 * record in {@link AppMeter}. Generated: the same shape for 1, 10 and 50 methods.
 */
final class FiftyHandlers {

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

    @RecordHandler(id = "h10", topicPattern = "${b8.pattern.10}", groupId = "${b8.group}-10")
    void h10(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h11", topicPattern = "${b8.pattern.11}", groupId = "${b8.group}-11")
    void h11(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h12", topicPattern = "${b8.pattern.12}", groupId = "${b8.group}-12")
    void h12(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h13", topicPattern = "${b8.pattern.13}", groupId = "${b8.group}-13")
    void h13(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h14", topicPattern = "${b8.pattern.14}", groupId = "${b8.group}-14")
    void h14(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h15", topicPattern = "${b8.pattern.15}", groupId = "${b8.group}-15")
    void h15(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h16", topicPattern = "${b8.pattern.16}", groupId = "${b8.group}-16")
    void h16(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h17", topicPattern = "${b8.pattern.17}", groupId = "${b8.group}-17")
    void h17(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h18", topicPattern = "${b8.pattern.18}", groupId = "${b8.group}-18")
    void h18(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h19", topicPattern = "${b8.pattern.19}", groupId = "${b8.group}-19")
    void h19(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h20", topicPattern = "${b8.pattern.20}", groupId = "${b8.group}-20")
    void h20(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h21", topicPattern = "${b8.pattern.21}", groupId = "${b8.group}-21")
    void h21(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h22", topicPattern = "${b8.pattern.22}", groupId = "${b8.group}-22")
    void h22(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h23", topicPattern = "${b8.pattern.23}", groupId = "${b8.group}-23")
    void h23(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h24", topicPattern = "${b8.pattern.24}", groupId = "${b8.group}-24")
    void h24(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h25", topicPattern = "${b8.pattern.25}", groupId = "${b8.group}-25")
    void h25(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h26", topicPattern = "${b8.pattern.26}", groupId = "${b8.group}-26")
    void h26(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h27", topicPattern = "${b8.pattern.27}", groupId = "${b8.group}-27")
    void h27(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h28", topicPattern = "${b8.pattern.28}", groupId = "${b8.group}-28")
    void h28(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h29", topicPattern = "${b8.pattern.29}", groupId = "${b8.group}-29")
    void h29(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h30", topicPattern = "${b8.pattern.30}", groupId = "${b8.group}-30")
    void h30(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h31", topicPattern = "${b8.pattern.31}", groupId = "${b8.group}-31")
    void h31(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h32", topicPattern = "${b8.pattern.32}", groupId = "${b8.group}-32")
    void h32(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h33", topicPattern = "${b8.pattern.33}", groupId = "${b8.group}-33")
    void h33(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h34", topicPattern = "${b8.pattern.34}", groupId = "${b8.group}-34")
    void h34(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h35", topicPattern = "${b8.pattern.35}", groupId = "${b8.group}-35")
    void h35(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h36", topicPattern = "${b8.pattern.36}", groupId = "${b8.group}-36")
    void h36(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h37", topicPattern = "${b8.pattern.37}", groupId = "${b8.group}-37")
    void h37(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h38", topicPattern = "${b8.pattern.38}", groupId = "${b8.group}-38")
    void h38(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h39", topicPattern = "${b8.pattern.39}", groupId = "${b8.group}-39")
    void h39(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h40", topicPattern = "${b8.pattern.40}", groupId = "${b8.group}-40")
    void h40(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h41", topicPattern = "${b8.pattern.41}", groupId = "${b8.group}-41")
    void h41(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h42", topicPattern = "${b8.pattern.42}", groupId = "${b8.group}-42")
    void h42(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h43", topicPattern = "${b8.pattern.43}", groupId = "${b8.group}-43")
    void h43(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h44", topicPattern = "${b8.pattern.44}", groupId = "${b8.group}-44")
    void h44(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h45", topicPattern = "${b8.pattern.45}", groupId = "${b8.group}-45")
    void h45(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h46", topicPattern = "${b8.pattern.46}", groupId = "${b8.group}-46")
    void h46(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h47", topicPattern = "${b8.pattern.47}", groupId = "${b8.group}-47")
    void h47(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h48", topicPattern = "${b8.pattern.48}", groupId = "${b8.group}-48")
    void h48(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }

    @RecordHandler(id = "h49", topicPattern = "${b8.pattern.49}", groupId = "${b8.group}-49")
    void h49(ConsumerRecord<byte[], byte[]> record) {
        AppMeter.count(record);
    }
}
