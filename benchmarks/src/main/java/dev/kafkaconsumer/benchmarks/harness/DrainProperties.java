package dev.kafkaconsumer.benchmarks.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The consumer properties every contender of B1 to B5 uses, in one place so that they cannot drift apart: fetch
 * settings are kafka-clients' defaults, CRCs are checked by both, every drain starts from the
 * beginning under a group nobody used before, and nothing is committed while draining.
 *
 * <p>For experiments, a system property {@code bench.consumer.<name>=<value>} sets consumer property
 * {@code <name>} for both contenders alike (e.g. {@code -Dbench.consumer.max.poll.records=2000});
 * the result file lists such overrides, since the numbers are then no longer those of the defaults.
 */
public final class DrainProperties {

    private static final String OVERRIDE_PREFIX = "bench.consumer.";

    private DrainProperties() {
    }

    /**
     * Returns the properties of one drain.
     *
     * @param bootstrapServers the broker
     * @param contender        the contender's name, part of the group and client ids
     * @param run              the run's number
     * @return a new mutable map
     */
    public static Map<String, Object> forRun(String bootstrapServers, String contender, int run) {
        String id = "b1-" + contender + "-" + run + "-" + Long.toHexString(System.nanoTime());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, id);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
        properties.putAll(overrides());
        return properties;
    }

    /** The consumer properties set with {@code -Dbench.consumer.*}, the same for both contenders. */
    public static Map<String, String> overrides() {
        Map<String, String> overrides = new TreeMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(OVERRIDE_PREFIX)) {
                overrides.put(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name));
            }
        }
        return overrides;
    }
}
