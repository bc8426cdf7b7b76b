package dev.kafkaconsumer.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache Kafka cluster in KRaft mode running inside this JVM, on the real broker code of the
 * {@code kafka-test-common-runtime} artifact. Meant for tests and local runs, never for production.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.builder().start()) {
 *     kafka.createTopic("orders", 6);
 *     String bootstrapServers = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>Each node is a combined controller and broker, so one node is a whole cluster. The broker's
 * defaults are tuned for tests: internal topics have one replica (or as many as there are brokers),
 * consumer groups start without the initial rebalance delay, and both group protocols accept short
 * session timeouts, so tests of liveness need not wait the production defaults.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private final KafkaClusterTestKit cluster;
    private final int brokerCount;
    private volatile boolean closed;

    private KafkaBroker(KafkaClusterTestKit cluster, int brokerCount) {
        this.cluster = cluster;
        this.brokerCount = brokerCount;
    }

    /**
     * Returns a builder for a cluster of one node with the test defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the {@code bootstrap.servers} value that reaches this cluster.
     *
     * @return a comma-separated list of {@code host:port}
     */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Returns how many brokers the cluster has.
     *
     * @return the broker count
     */
    public int brokerCount() {
        return brokerCount;
    }

    /**
     * Returns the client properties that reach this cluster: {@code bootstrap.servers} (its listener is
     * plaintext).
     *
     * @return a new mutable copy
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return properties;
    }

    /**
     * Opens an admin client for this cluster; the caller closes it.
     *
     * @return a new admin client
     */
    public Admin admin() {
        Map<String, Object> properties = clientProperties();
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-test-admin");
        return Admin.create(properties);
    }

    /**
     * Opens a producer for this cluster with acknowledgements from all replicas; the caller closes it.
     *
     * @param keySerializer   the key serializer
     * @param valueSerializer the value serializer
     * @param <K>             the key type
     * @param <V>             the value type
     * @return a new producer
     */
    public <K, V> KafkaProducer<K, V> producer(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return producer(Map.of(), keySerializer, valueSerializer);
    }

    /**
     * Opens a producer for this cluster with extra properties; the caller closes it.
     *
     * @param overrides       producer properties that replace the defaults
     * @param keySerializer   the key serializer
     * @param valueSerializer the value serializer
     * @param <K>             the key type
     * @param <V>             the value type
     * @return a new producer
     */
    public <K, V> KafkaProducer<K, V> producer(Map<String, ?> overrides, Serializer<K> keySerializer,
            Serializer<V> valueSerializer) {
        Map<String, Object> properties = clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.putAll(overrides);
        return new KafkaProducer<>(properties, keySerializer, valueSerializer);
    }

    /**
     * Sends records with a producer of {@link #producer(Serializer, Serializer)} and waits until every
     * one is acknowledged by all replicas.
     *
     * @param keySerializer   the key serializer
     * @param valueSerializer the value serializer
     * @param records         the records to send, in order
     * @param <K>             the key type
     * @param <V>             the value type
     * @throws IllegalStateException if a record could not be written
     */
    public <K, V> void send(Serializer<K> keySerializer, Serializer<V> valueSerializer,
            Iterable<ProducerRecord<K, V>> records) {
        try (KafkaProducer<K, V> producer = producer(keySerializer, valueSerializer)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ProducerRecord<K, V> record : records) {
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending records", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not send a record", e.getCause());
        }
    }

    /**
     * Creates a topic and waits until every broker knows it; a topic that exists already is left as it is.
     *
     * @param name       the topic name
     * @param partitions how many partitions
     */
    public void createTopic(String name, int partitions) {
        createTopics(List.of(new NewTopic(name, partitions, (short) Math.min(brokerCount, 3))));
    }

    /**
     * Creates topics and waits until every broker knows them; topics that exist already are left as they are.
     *
     * @param topics the topics
     */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + name, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while creating topic " + name, e);
                }
            });
            awaitTopicsKnown(admin, topics.stream().map(NewTopic::name).collect(Collectors.toSet()));
        }
    }

    /**
     * Waits until every partition of the topics has a leader that answers a ListOffsets request: only
     * then does a produce request land on a broker that knows it leads the partition.
     */
    private static void awaitTopicsKnown(Admin admin, Collection<String> names) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(names).allTopicNames().get().values().forEach(description ->
                        description.partitions().forEach(partition -> partitions.put(
                                new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics " + names + " did not get leaders in 30 s", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
            }
        }
    }

    /**
     * Stops every node and deletes its data. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while stopping the in-process Kafka cluster", e);
        } catch (Exception e) {
            log.warn("The in-process Kafka cluster did not stop cleanly", e);
        }
    }

    /**
     * Builds and starts a {@link KafkaBroker}. Not thread-safe.
     */
    public static final class Builder {

        private int brokers = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
            brokerProperties.put("group.initial.rebalance.delay.ms", "0");
            brokerProperties.put("group.min.session.timeout.ms", "1000");
            brokerProperties.put("group.consumer.min.session.timeout.ms", "1000");
            brokerProperties.put("group.consumer.session.timeout.ms", "10000");
            brokerProperties.put("group.consumer.min.heartbeat.interval.ms", "100");
            brokerProperties.put("group.consumer.heartbeat.interval.ms", "500");
            // share groups: the same quick membership, and acquisition locks as short as 1 s for tests
            // that let a lock expire (a group's share.record.lock.duration.ms; the broker default stays 30 s)
            brokerProperties.put("group.share.min.session.timeout.ms", "1000");
            brokerProperties.put("group.share.session.timeout.ms", "10000");
            brokerProperties.put("group.share.min.heartbeat.interval.ms", "100");
            brokerProperties.put("group.share.heartbeat.interval.ms", "500");
            brokerProperties.put("group.share.min.record.lock.duration.ms", "1000");
            brokerProperties.put("auto.create.topics.enable", "false");
            brokerProperties.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        }

        /**
         * Sets how many nodes (each a combined controller and broker) the cluster has; 1 by default.
         *
         * @param count from 1 to 9
         * @return this builder
         */
        public Builder brokers(int count) {
            if (count < 1 || count > 9) {
                throw new IllegalArgumentException("brokers must be between 1 and 9, was " + count);
            }
            this.brokers = count;
            return this;
        }

        /**
         * Sets one broker property (such as {@code auto.create.topics.enable}), replacing a test default.
         *
         * @param name  the broker property name
         * @param value its value
         * @return this builder
         */
        public Builder brokerProperty(String name, String value) {
            brokerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Formats the storage of each node, starts the cluster and waits until every broker is ready.
         *
         * @return the running cluster; close it when done
         */
        public KafkaBroker start() {
            short replication = (short) Math.min(brokers, 3);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("offsets.topic.replication.factor", String.valueOf(replication));
            properties.put("offsets.topic.num.partitions", "5");
            properties.put("transaction.state.log.replication.factor", String.valueOf(replication));
            properties.put("transaction.state.log.min.isr", "1");
            properties.put("min.insync.replicas", "1");
            properties.put("share.coordinator.state.topic.replication.factor", String.valueOf(replication));
            properties.put("share.coordinator.state.topic.min.isr", "1");
            properties.putAll(brokerProperties);
            KafkaClusterTestKit cluster = null;
            try {
                // A data directory of our own, which KafkaClusterTestKit#close deletes: left to Kafka's test kit,
                // it would be a temporary directory that a JVM shutdown hook of Kafka's deletes, while an
                // application stopping on SIGTERM (or a test JVM exiting) may still be closing the broker, which
                // then halts the JVM because all its log directories failed.
                Path dataDirectory = Files.createTempDirectory("kafka-consumer-broker-");
                TestKitNodes nodes = new TestKitNodes.Builder()
                        .setBaseDirectory(dataDirectory)
                        .setCombined(true)
                        .setNumBrokerNodes(brokers)
                        .setNumControllerNodes(brokers)
                        .build();
                KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
                properties.forEach(builder::setConfigProp);
                cluster = builder.build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                log.info("In-process Kafka cluster of {} node(s) ready at {}", brokers, cluster.bootstrapServers());
                return new KafkaBroker(cluster, brokers);
            } catch (Exception e) {
                if (cluster != null) {
                    try {
                        cluster.close();
                    } catch (Exception closeFailure) {
                        e.addSuppressed(closeFailure);
                    }
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("Could not start the in-process Kafka cluster", e);
            }
        }
    }
}
