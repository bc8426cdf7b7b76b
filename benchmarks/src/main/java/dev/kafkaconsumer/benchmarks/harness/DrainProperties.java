package dev.kafkaconsumer.benchmarks.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import dev.kafkaconsumer.test.BrokerCertificate;

/**
 * The consumer properties every contender of B1 to B5 uses, in one place so that they cannot drift apart: fetch
 * settings are kafka-clients' defaults, CRCs are checked by both, every drain starts from the
 * beginning under a group nobody used before, and nothing is committed while draining.
 *
 * <p>For experiments, a system property {@code bench.consumer.<name>=<value>} sets consumer property
 * {@code <name>} for both contenders alike (e.g. {@code -Dbench.consumer.max.poll.records=2000});
 * the result file lists such overrides, since the numbers are then no longer those of the defaults.
 *
 * <p>The group protocol has an option of its own, {@code -Dbench.groupProtocol=classic|consumer}
 * ({@value #GROUP_PROTOCOL}), which the Maven profile passes on and the result of B1 to B4 shows in its heading and
 * command: unset, every consumer uses kafka-clients' default ({@code classic} in 4.3). B1 and B2 also take
 * {@code classic,consumer}: they then run every contender under both, alternated within each round.
 */
public final class DrainProperties {

    /** The system property that sets {@code group.protocol} for every contender: {@code classic} or {@code consumer}. */
    public static final String GROUP_PROTOCOL = "bench.groupProtocol";

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
        return forRun(bootstrapServers, contender, run, groupProtocol().orElse(null));
    }

    /**
     * Returns the properties of one drain under the given group protocol, whatever {@code -Dbench.groupProtocol} says:
     * for a case that alternates the protocols (B1, B2 with {@code -Dbench.groupProtocol=classic,consumer}).
     *
     * @param bootstrapServers the broker
     * @param contender        the contender's name, part of the group and client ids
     * @param run              the run's number
     * @param groupProtocol    {@code classic} or {@code consumer}, or null for kafka-clients' default
     * @return a new mutable map
     */
    public static Map<String, Object> forRun(String bootstrapServers, String contender, int run, String groupProtocol) {
        return forRun(bootstrapServers, contender, run, groupProtocol, Map.of());
    }

    /**
     * Returns the properties of one drain through a listener that needs more than {@code bootstrap.servers}: for B1 over
     * TLS, {@code security.protocol=SSL} and the trust store ({@link BrokerCertificate#clientProperties()}).
     *
     * @param bootstrapServers the broker's listener
     * @param contender        the contender's name, part of the group and client ids
     * @param run              the run's number
     * @param groupProtocol    {@code classic} or {@code consumer}, or null for kafka-clients' default
     * @param transport        the listener's client properties, the same for every contender; empty for plaintext
     * @return a new mutable map
     */
    public static Map<String, Object> forRun(String bootstrapServers, String contender, int run, String groupProtocol,
            Map<String, ?> transport) {
        String id = "b1-" + contender + "-" + run + "-" + Long.toHexString(System.nanoTime());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, id);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
        if (groupProtocol != null) {
            properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        }
        properties.putAll(transport);
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

    /**
     * The group protocol chosen with {@code -Dbench.groupProtocol}, in lower case, or empty for kafka-clients' default
     * (also when the property is empty or an unresolved Maven placeholder).
     *
     * @throws IllegalArgumentException when it is neither {@code classic} nor {@code consumer}, or lists both (only B1
     *                                  and B2 alternate protocols; they read {@link #groupProtocols()})
     */
    public static Optional<String> groupProtocol() {
        List<String> protocols = groupProtocols();
        if (protocols.size() > 1) {
            throw new IllegalArgumentException(GROUP_PROTOCOL + " is " + String.join(",", protocols) + "; only b1 and b2 "
                    + "alternate group protocols, the other cases take one");
        }
        return protocols.stream().findFirst();
    }

    /**
     * The group protocols chosen with {@code -Dbench.groupProtocol}, in lower case and in the order given: none for
     * kafka-clients' default, one, or {@code classic,consumer} (B1 and B2 then alternate them within each round).
     *
     * @throws IllegalArgumentException when one is neither {@code classic} nor {@code consumer}, or one repeats
     */
    public static List<String> groupProtocols() {
        String value = BenchSettings.property(GROUP_PROTOCOL, "").toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> protocols = List.of(value.split("\\s*,\\s*"));
        if (!List.of("classic", "consumer").containsAll(protocols) || protocols.stream().distinct().count() != protocols.size()) {
            throw new IllegalArgumentException(GROUP_PROTOCOL + " is " + value + "; use classic or consumer (or both, "
                    + "classic,consumer, for b1 and b2), or leave it unset for kafka-clients' default");
        }
        return protocols;
    }
}
