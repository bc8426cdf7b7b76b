package dev.kafkaconsumer.core;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kafkaconsumer.test.KafkaBroker;

/** Helpers shared by the share engine's integration tests: share groups that read from the earliest offset, builders. */
final class ShareEngines {

    private ShareEngines() {
    }

    /**
     * Creates a share group that reads from the earliest offset ({@code share.auto.offset.reset=earliest}, a group
     * config), with the given group configs besides.
     *
     * @param configs group configs, such as {@code share.record.lock.duration.ms}
     * @return the group id
     */
    static String shareGroup(KafkaBroker kafka, String prefix, Map<String, String> configs) {
        String group = Engines.unique(prefix);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("share.auto.offset.reset", "earliest");
        all.putAll(configs);
        List<AlterConfigOp> settings = new ArrayList<>();
        all.forEach((name, value) -> settings.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
        try (Admin admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), settings)).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not configure share group " + group, e.getCause());
        }
        return group;
    }

    static String shareGroup(KafkaBroker kafka, String prefix) {
        return shareGroup(kafka, prefix, Map.of());
    }

    /** A builder for a String share engine on the broker, in the given share group. */
    static ShareConsumerEngine.Builder<String, String> builder(KafkaBroker kafka, String group) {
        return ShareConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .properties(kafka.clientProperties())
                .groupId(group);
    }

    /** Builds an engine, subscribes it to the topic and starts it. */
    static ShareConsumerEngine<String, String> started(ShareConsumerEngine.Builder<String, String> builder, String topic) {
        ShareConsumerEngine<String, String> engine = builder.build();
        engine.subscribe(List.of(topic));
        engine.start();
        return engine;
    }

    /** Builds an engine in the share group, subscribes it to the topic and starts it. */
    static ShareConsumerEngine<String, String> started(KafkaBroker kafka, String group, String topic) {
        return started(builder(kafka, group), topic);
    }

    /** Takes {@code count} records within 30 seconds, asking for at most {@code count} at a time. */
    static List<AcquiredRecord<String, String>> take(ShareConsumerEngine<String, String> engine, int count) {
        List<AcquiredRecord<String, String>> taken = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            taken.addAll(engine.getMany(Duration.ofMillis(200), count - taken.size()));
            return taken.size() >= count;
        });
        return taken;
    }

    /** Takes records until one has the value {@code value}, within 30 seconds; returns all taken, that one included. */
    static List<AcquiredRecord<String, String>> takeUntil(ShareConsumerEngine<String, String> engine, String value) {
        List<AcquiredRecord<String, String>> taken = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            taken.addAll(engine.getMany(Duration.ofMillis(200), 100));
            return taken.stream().anyMatch(record -> value.equals(record.record().value()));
        });
        return taken;
    }
}
