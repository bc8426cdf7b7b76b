package dev.kafkaconsumer.benchmarks.share;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;

/**
 * What every share-group contender of B9 starts from: a share group nobody used before, which reads its topic from
 * the beginning. A share group starts at the <em>latest</em> offset unless its group config
 * {@code share.auto.offset.reset} says {@code earliest} (share consumers refuse {@code auto.offset.reset}), so each
 * drain sets it with {@code Admin.incrementalAlterConfigs} before its clock starts, and the consumers get the
 * share-consumer properties below (kafka-clients' defaults otherwise: {@code max.poll.records} 500,
 * {@code share.acquire.mode} {@code batch_optimized}).
 */
final class ShareGroups {

    /** The group config that makes a new share group start at the earliest offset. */
    static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";

    private ShareGroups() {
    }

    /**
     * A fresh share group for one drain, which reads from the earliest offset: its properties.
     *
     * @param bootstrapServers the broker
     * @param contender        the contender's name, part of the group and client ids
     * @param run              the run's number
     * @return the share consumer properties (bootstrap servers, group and client id, {@code check.crcs=true}), a new
     *         mutable map
     */
    static Map<String, Object> fresh(String bootstrapServers, String contender, int run) {
        Map<String, Object> properties = properties(bootstrapServers, contender, run);
        readFromTheBeginning(bootstrapServers, (String) properties.get(ConsumerConfig.GROUP_ID_CONFIG));
        return properties;
    }

    /** The properties of {@link #fresh} without touching the broker. */
    static Map<String, Object> properties(String bootstrapServers, String contender, int run) {
        String id = "b9-" + contender + "-" + run + "-" + Long.toHexString(System.nanoTime());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, id);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        properties.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
        return properties;
    }

    /** Sets the group's {@code share.auto.offset.reset} to {@code earliest}; the group need not exist yet. */
    static void readFromTheBeginning(String bootstrapServers, String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry(AUTO_OFFSET_RESET, "earliest"), AlterConfigOp.OpType.SET)))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not set " + AUTO_OFFSET_RESET + " of share group " + group
                    + "; does the broker enable share groups?", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring share group " + group, e);
        }
    }
}
