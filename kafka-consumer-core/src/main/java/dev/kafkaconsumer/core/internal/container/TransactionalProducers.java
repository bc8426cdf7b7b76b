package dev.kafkaconsumer.core.internal.container;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kafkaconsumer.core.Transactions;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * The transactional producer of a container, as its configuration makes it, and the output serializers it owns.
 * Stateless.
 */
final class TransactionalProducers {

    private TransactionalProducers() {
    }

    /**
     * Creates the container's transactional producers, each with the same {@code transactional.id}:
     * {@code <prefix><container name>-<random UUID>}, unique to this container instance. It writes bytes: the
     * outputs are serialized by the handlers' threads ({@link RecordOutputs}).
     */
    static Supplier<Producer<byte[], byte[]>> producers(ContainerConfig<?, ?> config) {
        Map<String, Object> properties = producerProperties(config);
        return () -> new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The producer's properties: the user's, with the transactional id and the defaults the container documents. */
    static Map<String, Object> producerProperties(ContainerConfig<?, ?> config) {
        Transactions<?, ?> transactions = config.transactions();
        Map<String, Object> properties = new HashMap<>(transactions.producerProperties());
        properties.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.consumerProperties().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        properties.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1000L, Math.min(Integer.MAX_VALUE, Durations.millis(config.revocationTimeout()))));
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kafka-consumer-txn-" + config.name());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                transactions.transactionalIdPrefix() + config.name() + "-" + UUID.randomUUID());
        return properties;
    }

    /** Closes the output serializers, which the container owns. */
    static void closeSerializers(ContainerConfig<?, ?> config) {
        config.transactions().keySerializer().close();
        config.transactions().valueSerializer().close();
    }
}
