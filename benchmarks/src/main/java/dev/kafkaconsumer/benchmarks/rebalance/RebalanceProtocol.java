package dev.kafkaconsumer.benchmarks.rebalance;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;

/**
 * The group protocol set-ups B6 compares. Under the classic protocol the client sets the session and
 * heartbeat; under {@code group.protocol=consumer} the broker does (the benchmark broker, like
 * {@code KafkaBroker}'s test defaults, uses a 10 s session and a 500 ms heartbeat), so the classic
 * set-ups use the same 10 s and 500 ms rather than their 45 s and 3 s defaults: the comparison is of
 * protocols, not of heartbeat intervals.
 */
enum RebalanceProtocol {

    /** Classic protocol, eager: every member gives up every partition at each rebalance. */
    EAGER("eager", "classic, eager (RangeAssignor)", Map.of(
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName(),
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500)),

    /** Classic protocol, cooperative: only the partitions that move are revoked. */
    COOPERATIVE("cooperative", "classic, cooperative-sticky", Map.of(
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500)),

    /** KIP-848: the broker assigns, incrementally. */
    CONSUMER("consumer", "group.protocol=consumer", Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

    private final String id;
    private final String label;
    private final Map<String, Object> consumerProperties;

    RebalanceProtocol(String id, String label, Map<String, Object> consumerProperties) {
        this.id = id;
        this.label = label;
        this.consumerProperties = consumerProperties;
    }

    String id() {
        return id;
    }

    String label() {
        return label;
    }

    Map<String, Object> consumerProperties() {
        return consumerProperties;
    }
}
