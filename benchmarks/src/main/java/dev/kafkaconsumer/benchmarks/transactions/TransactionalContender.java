package dev.kafkaconsumer.benchmarks.transactions;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import dev.kafkaconsumer.benchmarks.harness.DrainProperties;

/**
 * A B11 contender: a transactional consume-transform-produce pipeline that reads the input topic from the beginning
 * under a group of its own and, for every input record, writes {@link TransactionalRecords#handle}'s output to the
 * output topic in the transaction that commits the input's offset. The benchmark times it ({@link CommitWatch}); the
 * contender only starts, counts its transactions and stops.
 */
interface TransactionalContender {

    /** A short label for tables and logs. */
    String name();

    /**
     * Starts the pipeline; returns at once (the clock runs from just before this call).
     *
     * @param bootstrapServers the broker
     * @param input            the input topic
     * @param output           the run's output topic
     * @param group            the run's consumer group (new)
     * @param run              the run's number (0 for a warm-up), for client and transactional ids
     * @return the running pipeline
     */
    Running start(String bootstrapServers, String input, String output, String group, int run);

    /**
     * The consumer settings every contender starts from: the drains' settings for the run, the run's group, and
     * {@code read_committed} (set explicitly for both contenders, although our container defaults to it).
     *
     * @param bootstrapServers the broker
     * @param name             the contender's label
     * @param group            the run's consumer group
     * @param run              the run's number
     * @return a mutable map the contender may add to
     */
    static Map<String, Object> consumerProperties(String bootstrapServers, String name, String group, int run) {
        Map<String, Object> consumer = DrainProperties.forRun(bootstrapServers, name, run);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return consumer;
    }

    /** A started pipeline. */
    interface Running extends AutoCloseable {

        /** Transactions committed so far. */
        long committed();

        /** Transactions aborted so far. */
        long aborted();

        /** Why the pipeline failed, or null while it runs. */
        Throwable failure();

        /** Stops the pipeline and waits until it has. */
        @Override
        void close();
    }
}
